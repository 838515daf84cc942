package dev.affect.engine.image;

/**
 * Reads the declared width and height from a PNG or JPEG header without decoding anything, so that
 * a size budget can be enforced before a decoder allocates the pixels.
 */
final class ImageHeaders {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int PNG_HEADER_END = 24; // signature, IHDR length and type, width, height

    private ImageHeaders() {
    }

    /** @throws ImageFormatException when the data is not a PNG or JPEG, or its header is cut short or malformed */
    static ImageDimensions read(byte[] data, String name) {
        if (data == null || data.length == 0) {
            throw new ImageFormatException(name + ": empty file, not an image");
        }
        if (startsWith(data, PNG_SIGNATURE)) {
            return png(data, name);
        }
        if (data.length >= 3 && u8(data, 0) == 0xff && u8(data, 1) == 0xd8 && u8(data, 2) == 0xff) {
            return jpeg(data, name);
        }
        throw new ImageFormatException(name + ": not a JPEG or PNG image");
    }

    /** The PNG spec puts IHDR first: its width and height are bytes 16..24. */
    private static ImageDimensions png(byte[] data, String name) {
        if (data.length < PNG_HEADER_END) {
            throw new ImageFormatException(name + ": truncated PNG image (header cut short at " + data.length + " bytes)");
        }
        if (data[12] != 'I' || data[13] != 'H' || data[14] != 'D' || data[15] != 'R') {
            throw new ImageFormatException(name + ": corrupt PNG image (first chunk is not IHDR)");
        }
        long width = u32(data, 16);
        long height = u32(data, 20);
        // The spec caps both at 2^31-1; a larger value is a corrupt header, not a big image.
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new ImageFormatException(name + ": corrupt PNG image (IHDR declares " + width + "x" + height + ")");
        }
        return new ImageDimensions((int) width, (int) height);
    }

    /** Walks the marker segments after SOI up to the first frame header (SOF0..SOF15). */
    private static ImageDimensions jpeg(byte[] data, String name) {
        int pos = 2;
        while (true) {
            if (pos >= data.length) {
                throw new ImageFormatException(name + ": truncated JPEG image (no frame header before the end of the data)");
            }
            if (u8(data, pos) != 0xff) {
                throw new ImageFormatException(name + ": corrupt JPEG image (expected a marker at byte " + pos + ")");
            }
            while (pos < data.length && u8(data, pos) == 0xff) {
                pos++; // a marker may be preceded by any number of 0xff fill bytes
            }
            if (pos >= data.length) {
                throw new ImageFormatException(name + ": truncated JPEG image (no frame header before the end of the data)");
            }
            int marker = u8(data, pos++);
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd8) {
                continue; // TEM, RSTn, SOI: no payload
            }
            if (marker == 0xd9 || marker == 0xda) {
                throw new ImageFormatException(name + ": corrupt JPEG image (no frame header before "
                        + (marker == 0xd9 ? "the end of the image" : "the scan") + ")");
            }
            if (pos + 2 > data.length) {
                throw new ImageFormatException(name + ": truncated JPEG image (header cut short at " + data.length + " bytes)");
            }
            int length = u16(data, pos); // counts itself, not the marker
            if (length < 2) {
                throw new ImageFormatException(name + ": corrupt JPEG image (segment length " + length + " at byte " + pos + ")");
            }
            if (isFrameHeader(marker)) {
                if (length < 7 || pos + 7 > data.length) {
                    throw new ImageFormatException(name + ": truncated JPEG image (frame header cut short)");
                }
                return new ImageDimensions(u16(data, pos + 5), u16(data, pos + 3)); // precision, height, width
            }
            pos += length;
        }
    }

    /** SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] data, int i) {
        return data[i] & 0xff;
    }

    private static int u16(byte[] data, int i) {
        return u8(data, i) << 8 | u8(data, i + 1);
    }

    private static long u32(byte[] data, int i) {
        return (long) u16(data, i) << 16 | u16(data, i + 2);
    }
}
