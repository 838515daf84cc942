package dev.affect.server.schedule;

/**
 * Width and height of an encoded PNG (IHDR) or JPEG (first SOFn) image, read from its header without
 * decoding anything, so that an image over the pixel budget is refused before it is decoded.
 */
public record ImageHeader(int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    /** The header's dimensions, or {@code null} when the data is neither a PNG nor a JPEG with a frame header. */
    public static ImageHeader read(byte[] data) {
        if (data.length >= 24 && (data[0] & 0xff) == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G'
                && data[12] == 'I' && data[13] == 'H' && data[14] == 'D' && data[15] == 'R') {
            return new ImageHeader(int32(data, 16), int32(data, 20));
        }
        if (data.length >= 4 && (data[0] & 0xff) == 0xFF && (data[1] & 0xff) == 0xD8) {
            return jpeg(data);
        }
        return null;
    }

    private static ImageHeader jpeg(byte[] d) {
        int i = 2;
        while (i + 3 < d.length) {
            if ((d[i] & 0xff) != 0xFF) {
                return null;
            }
            int marker = d[i + 1] & 0xff;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            int length = ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 8 >= d.length) {
                    return null;
                }
                int height = ((d[i + 5] & 0xff) << 8) | (d[i + 6] & 0xff);
                int width = ((d[i + 7] & 0xff) << 8) | (d[i + 8] & 0xff);
                return new ImageHeader(width, height);
            }
            if (marker == 0xD9 || marker == 0xDA || length < 2) {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }

    private static int int32(byte[] d, int at) {
        long v = ((long) (d[at] & 0xff) << 24) | ((d[at + 1] & 0xff) << 16) | ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
