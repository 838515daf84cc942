package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.BFloat16;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void bf16FixtureIsTheF32FixtureRoundedToNearestEven() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            StateDict f32 = SafetensorsReader.read(Fixtures.file("ddamfn_8_class.safetensors"), arena).tensors();
            StateDict bf16 = SafetensorsReader.read(Fixtures.file("ddamfn_8_class_bf16.safetensors"), arena).tensors();
            assertEquals(1190, f32.size());
            assertEquals(f32.names(), bf16.names());
            for (String name : f32.names()) {
                Tensor a = f32.get(name);
                Tensor b = bf16.get(name);
                assertEquals(a.shape(), b.shape(), name);
                if (a.dtype() == DType.I64) {
                    assertEquals(DType.I64, b.dtype(), name);
                    assertEquals(-1, a.host().segment().mismatch(b.host().segment()), name);
                    continue;
                }
                assertEquals(DType.BF16, b.dtype(), name);
                float[] values = a.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    short expected = BFloat16.fromFloat(values[i]);
                    short actual = b.host().segment().getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i);
                    if (expected != actual) {
                        throw new AssertionError(name + "[" + i + "]: " + values[i] + " -> " + expected + " but file has " + actual);
                    }
                }
            }
            assertEquals(Shape.of(new int[0]), f32.get("features.0.bn.num_batches_tracked").shape());
        }
    }

    @Test
    void roundTripsEveryDtypeScalarsAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w.f32", Tensor.of(new float[] {1, -2.5f, 3e-8f, Float.NaN, Float.POSITIVE_INFINITY, -0f}, 2, 3));
        Tensor f64 = Tensor.zeros(DType.F64, Shape.of(3));
        f64.setFloat(0, 1.25f);
        f64.host().segment().setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, 1, Math.PI);
        tensors.put("w.f64", f64);
        Tensor f16 = Tensor.zeros(DType.F16, Shape.of(2, 2));
        f16.copyFrom(Tensor.of(new float[] {0.5f, -1, 65504, 1e-7f}, 2, 2));
        tensors.put("w.f16", f16);
        Tensor bf16 = Tensor.zeros(DType.BF16, Shape.of(4));
        bf16.copyFrom(Tensor.of(new float[] {1, 2, 3.14159f, -1e30f}, 4));
        tensors.put("w.bf16", bf16);
        tensors.put("bn.num_batches_tracked", Tensor.ofLongs(new long[] {123456789012L}));
        tensors.put("empty", Tensor.zeros(Shape.of(0, 4)));
        tensors.put("i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, 3));
        StateDict original = new StateDict(tensors);
        // scalar: shape [] (Tensor.ofLongs with no dims)
        assertEquals(0, original.get("bn.num_batches_tracked").shape().rank());

        Path file = dir.resolve("out.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("source", "unit test ✓");
        SafetensorsWriter.write(file, original, metadata);

        SafetensorsFile read = SafetensorsReader.read(file);
        assertEquals(metadata, read.metadata());
        assertEquals(original.names(), read.tensors().names());
        for (String name : original.names()) {
            Tensor a = original.get(name);
            Tensor b = read.tensors().get(name);
            assertEquals(a.dtype(), b.dtype(), name);
            assertEquals(a.shape(), b.shape(), name);
            assertEquals(-1, a.host().segment().mismatch(b.host().segment()), name);
        }
        assertEquals(123456789012L, read.tensors().get("bn.num_batches_tracked").getLong(0));

        byte[] bytes = Files.readAllBytes(file);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLen % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":"), header);
        assertTrue(header.contains("\"shape\":[]"), "scalar shape written as []: " + header);
        assertTrue(header.stripTrailing().endsWith("}") && header.replace(header.stripTrailing(), "").isBlank());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void overwriteReplacesAtomically() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, new StateDict(Map.of("a", Tensor.of(new float[] {1}, 1))));
        SafetensorsWriter.write(file, new StateDict(Map.of("b", Tensor.of(new float[] {2, 3}, 2))));
        assertEquals(List.of("b"), SafetensorsReader.readStateDict(file).names());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(dir.resolve("bad.safetensors"), b.array());
    }

    private String error(Path file) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws IOException {
        byte[] bytes = new byte[64];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Path file = Files.write(dir.resolve("long.safetensors"), bytes);
        assertTrue(error(file).contains("header length 1000 exceeds the file size 64"));
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[3]);
        assertTrue(error(tiny).contains("not a safetensors file"));
    }

    @Test
    void rejectsBadOffsetsAndDtypes() throws IOException {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(error(file(overlap, 12)).contains("tensors 'a' [0, 8] and 'b' [4, 12] overlap"));
        String outside = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertTrue(error(file(outside, 12)).contains("tensor 'a': data_offsets [8, 16] out of range (data section is 12 bytes)"));
        String wrongSize = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertTrue(error(file(wrongSize, 8)).contains("data_offsets span 8 bytes, but F64[2] needs 16"));
        String i32 = "{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertTrue(error(file(i32, 8)).contains("unsupported dtype I32"));
        assertTrue(error(file("{\"a\": [1, 2", 0)).contains("not valid JSON"));
        String duplicate = "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        assertTrue(error(file(duplicate, 4)).contains("not valid JSON"));
        String negativeShape = "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}";
        assertTrue(error(file(negativeShape, 4)).contains("bad shape"));
    }
}
