package dev.affect.engine.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal .npy reader for these tests only (C-order, dtypes '|u1' and '<f4'), so the image tests do not
 * depend on the project's own npy I/O.
 */
record TestNpy(String dtype, int[] shape, byte[] data) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static TestNpy read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not an .npy file");
        }
        int major = bytes[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        String dtype = group(DESCR, header, file);
        if (!dtype.equals("|u1") && !dtype.equals("<f4")) {
            throw new IOException(file + ": unsupported dtype " + dtype);
        }
        if (group(FORTRAN, header, file).equals("True")) {
            throw new IOException(file + ": Fortran order is not supported");
        }
        int[] shape = Arrays.stream(group(SHAPE, header, file).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long elements = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        int itemSize = dtype.equals("|u1") ? 1 : 4;
        int dataStart = headerStart + headerLen;
        if (bytes.length - dataStart != elements * itemSize) {
            throw new IOException(file + ": " + (bytes.length - dataStart) + " data bytes for shape " + Arrays.toString(shape));
        }
        return new TestNpy(dtype, shape, Arrays.copyOfRange(bytes, dataStart, bytes.length));
    }

    private static String group(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header lacks " + p.pattern() + ": " + header);
        }
        return m.group(1);
    }

    byte[] u8() {
        if (!dtype.equals("|u1")) {
            throw new IllegalStateException("dtype is " + dtype);
        }
        return data;
    }

    float[] f32() {
        if (!dtype.equals("<f4")) {
            throw new IllegalStateException("dtype is " + dtype);
        }
        float[] out = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** An [H, W, 3] uint8 array as an image. */
    RgbImage image() {
        if (shape.length != 3 || shape[2] != 3) {
            throw new IllegalStateException("not an HWC RGB array: " + Arrays.toString(shape));
        }
        return new RgbImage(shape[1], shape[0], u8());
    }
}
