package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void readsReferenceArrays() throws IOException {
        Tensor input = NpyReader.read(Fixtures.file("input.npy"));
        assertEquals(DType.F32, input.dtype());
        assertEquals(Shape.of(4, 3, 112, 112), input.shape());
        double sum = 0;
        for (float v : input.toFloatArray()) {
            assertTrue(Float.isFinite(v));
            sum += v;
        }
        assertEquals(0, sum / input.numel(), 0.05, "seeded N(0,1) input has mean ~0");

        Tensor logits = NpyReader.read(Fixtures.file("logits.npy"));
        assertEquals(Shape.of(4, 8), logits.shape());
        Tensor logits64 = NpyReader.read(Fixtures.file("logits_f64.npy"));
        assertEquals(DType.F64, logits64.dtype());
        assertEquals(Shape.of(4, 8), logits64.shape());
        for (int i = 0; i < 32; i++) {
            assertEquals(logits64.getDouble(i), logits.getFloat(i), 1e-4);
        }
        assertEquals(Shape.of(2, 4, 512, 7, 7), NpyReader.read(Fixtures.file("heads.npy")).shape());
        assertEquals(Shape.of(4, 64, 56, 56), NpyReader.read(Fixtures.file("stages/features.0.npy")).shape());
    }

    @Test
    void uint8IsReadAsExactFloatValues() throws IOException {
        Tensor rgb = NpyReader.read(Fixtures.file("face_a_rgb.npy"));
        assertEquals(DType.F32, rgb.dtype());
        assertEquals(Shape.of(112, 112, 3), rgb.shape());
        // face_a is 112x112, so the eval transform is (rgb/255 - mean)/std, HWC -> CHW.
        Tensor chw = NpyReader.read(Fixtures.file("face_a.npy"));
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        float[] pixels = rgb.toFloatArray();
        for (int i = 0; i < pixels.length; i++) {
            assertEquals(Math.rint(pixels[i]), pixels[i]);
            assertTrue(pixels[i] >= 0 && pixels[i] <= 255);
            int y = i / (112 * 3);
            int x = i / 3 % 112;
            int c = i % 3;
            float expected = (pixels[i] / 255f - mean[c]) / std[c];
            assertEquals(expected, chw.getFloat(((long) c * 112 + y) * 112 + x), 1e-5);
        }
    }

    @Test
    void roundTripsF32I64F64AndF16() throws IOException {
        List<Tensor> tensors = List.of(
                Tensor.of(new float[] {1, -2, 3.5f, Float.NaN, 1e-38f, -0f}, 2, 3),
                Tensor.ofLongs(new long[] {Long.MIN_VALUE, 0, 7, Long.MAX_VALUE, -1}, 5),
                Tensor.ofLongs(new long[] {42}),
                doubles(Math.PI, -Math.E),
                Tensor.zeros(Shape.of(0, 3)));
        Tensor f16 = Tensor.zeros(DType.F16, Shape.of(3));
        f16.copyFrom(Tensor.of(new float[] {0.5f, 1024, -3}, 3));
        int i = 0;
        for (Tensor t : Stream.concat(tensors.stream(), Stream.of(f16)).toList()) {
            Path file = dir.resolve("t" + i++ + ".npy");
            NpyWriter.write(file, t);
            Tensor back = NpyReader.read(file);
            assertEquals(t.dtype(), back.dtype());
            assertEquals(t.shape(), back.shape());
            assertEquals(-1, t.host().segment().mismatch(back.host().segment()));
            byte[] bytes = Files.readAllBytes(file);
            int headerEnd = 10 + ((bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
            assertEquals(0, headerEnd % 64, "data 64-byte aligned as numpy writes it");
            assertEquals('\n', bytes[headerEnd - 1]);
        }
        String header = new String(Files.readAllBytes(dir.resolve("t1.npy")), 10, 60, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }"), header);
        String scalar = new String(Files.readAllBytes(dir.resolve("t2.npy")), 10, 60, StandardCharsets.ISO_8859_1);
        assertTrue(scalar.startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (), }"), scalar);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.allMatch(p -> p.getFileName().toString().matches("t\\d\\.npy")), "no temp file left behind");
        }
    }

    @Test
    void atomicOverwriteLeavesOnlyTheTarget() throws IOException {
        Path file = dir.resolve("x.npy");
        NpyWriter.write(file, Tensor.of(new float[] {1, 2}, 2));
        NpyWriter.write(file, Tensor.ofLongs(new long[] {3, 4, 5}, 3));
        assertArrayEquals(new long[] {3, 4, 5}, NpyReader.read(file).toLongArray());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void rejectsWhatItCannotRepresent() throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> NpyWriter.write(dir.resolve("b.npy"), Tensor.zeros(DType.BF16, Shape.of(2))));
        assertTrue(error("fortran.npy", header("<f4", true, 2, 2), 16).contains("fortran_order=True"));
        assertTrue(error("be.npy", header(">f4", false, 2), 8).contains("unsupported npy dtype '>f4'"));
        assertTrue(error("short.npy", header("<f4", false, 4), 8).contains("needs 16 (truncated?)"));
        assertTrue(error("text.npy", "plain text".getBytes(), 0).contains("not a .npy file"));
    }

    private static byte[] header(String descr, boolean fortran, long... shape) {
        return NpyWriter.preamble(new NpyHeader(descr, fortran, shape));
    }

    private String error(String name, byte[] preamble, int dataBytes) throws IOException {
        Path file = Files.write(dir.resolve(name), Arrays.copyOf(preamble, preamble.length + dataBytes));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage();
    }

    private static Tensor doubles(double... values) {
        Tensor t = Tensor.zeros(DType.F64, Shape.of(values.length));
        for (int i = 0; i < values.length; i++) {
            t.host().segment().setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, values[i]);
        }
        return t;
    }
}
