package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.BFloat16;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made torch zips: views, dtypes, wrappers, and every way a file can be bad or hostile. */
class TorchCheckpointCraftedTest {
    @TempDir
    Path dir;

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        return b.array();
    }

    private static byte[] shorts(short... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) {
            b.putShort(s);
        }
        return b.array();
    }

    private CheckpointFormatException refused(String fileName, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(fileName), content);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpointReader.readStateDict(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "message names the file: " + e.getMessage());
        return e;
    }

    private static byte[] zipWithPickle(byte[] pickle) throws IOException {
        return new ZipBuilder().put("model/data.pkl", pickle).put("model/version", "3\n".getBytes()).bytes();
    }

    /** {'state_dict': OrderedDict(a=..., b=...)} over one float storage of 0..11 plus extras. */
    private static byte[] viewsCheckpoint(boolean deflate) throws IOException {
        float[] storage = new float[12];
        for (int i = 0; i < 12; i++) {
            storage[i] = i;
        }
        PickleBuilder p = new PickleBuilder().proto().emptyDict().str("state_dict").orderedDict();
        p.str("module.transposed").tensor("FloatStorage", "0", 12, 1, new long[] {2, 3}, new long[] {1, 2}).setitem();
        p.str("module.window").tensor("FloatStorage", "0", 12, 2, new long[] {2, 2}, new long[] {2, 1}).setitem();
        p.str("module.param").global("torch._utils", "_rebuild_parameter")
                .mark().tensor("FloatStorage", "0", 12, 0, new long[] {3}, new long[] {1}).op(0x88).orderedDict().tuple()
                .reduce().setitem();
        p.str("module.scalar").tensor("LongStorage", "1", 1, 0, new long[0], new long[0]).setitem();
        p.str("module.int32").tensor("IntStorage", "2", 3, 0, new long[] {3}, new long[] {1}).setitem();
        p.str("module.half").tensor("HalfStorage", "3", 2, 0, new long[] {2}, new long[] {1}).setitem();
        p.str("module.bf16").tensor("BFloat16Storage", "4", 2, 0, new long[] {2}, new long[] {1}).setitem();
        p.str("module.not_a_tensor").integer(5).setitem();
        p.setitem().str("epoch").integer(70000).setitem().stop();
        ZipBuilder zip = new ZipBuilder().put("archive/data.pkl", p.bytes())
                .put("archive/data/0", floats(storage))
                .put("archive/data/1", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 42).array())
                .put("archive/data/2", ints(-7, 0, Integer.MAX_VALUE))
                .put("archive/data/3", shorts(Float.floatToFloat16(1.5f), Float.floatToFloat16(-2f)))
                .put("archive/data/4", shorts(BFloat16.fromFloat(3f), BFloat16.fromFloat(0.25f)))
                .put("archive/byteorder", "little".getBytes())
                .put("archive/version", "3\n".getBytes());
        return (deflate ? zip.deflate() : zip).bytes();
    }

    @Test
    void honoursOffsetsStridesWrappersAndDtypes() throws IOException {
        for (boolean deflate : new boolean[] {false, true}) {
            Path file = Files.write(dir.resolve(deflate ? "deflated.pt" : "stored.pt"), viewsCheckpoint(deflate));
            StateDict sd = TorchCheckpointReader.readStateDict(file);
            assertEquals(List.of("transposed", "window", "param", "scalar", "int32", "half", "bf16"), sd.names());
            // element [i][j] = storage[1 + i*1 + j*2]: a non-contiguous view, copied to row-major
            assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, sd.get("transposed").toFloatArray());
            assertEquals(Shape.of(2, 3), sd.get("transposed").shape());
            assertArrayEquals(new float[] {2, 3, 4, 5}, sd.get("window").toFloatArray());
            assertArrayEquals(new float[] {0, 1, 2}, sd.get("param").toFloatArray());
            assertEquals(Shape.of(new int[0]), sd.get("scalar").shape());
            assertEquals(42L, sd.get("scalar").getLong(0));
            assertEquals(DType.I64, sd.get("int32").dtype());
            assertArrayEquals(new long[] {-7, 0, Integer.MAX_VALUE}, sd.get("int32").toLongArray());
            assertEquals(DType.F16, sd.get("half").dtype());
            assertArrayEquals(new float[] {1.5f, -2f}, sd.get("half").toFloatArray());
            assertEquals(DType.BF16, sd.get("bf16").dtype());
            assertArrayEquals(new float[] {3f, 0.25f}, sd.get("bf16").toFloatArray());
        }
    }

    @Test
    void refusesOsSystemByName() throws IOException {
        byte[] pickle = new PickleBuilder().proto().global("os", "system").str("echo pwned").op(0x85).reduce().stop().bytes();
        CheckpointFormatException e = refused("model.pth", zipWithPickle(pickle));
        assertTrue(e.getMessage().endsWith(
                "model.pth: refusing to load global 'os.system' — only state_dict checkpoints are supported"), e.getMessage());
    }

    @Test
    void refusesStackGlobalAndModelClasses() throws IOException {
        byte[] stackGlobal = new PickleBuilder().proto().op(0x8c, 8).raw("builtins".getBytes(StandardCharsets.US_ASCII))
                .op(0x8c, 4).raw("eval".getBytes(StandardCharsets.US_ASCII)).op(0x93).stop().bytes();
        assertTrue(refused("a.pth", zipWithPickle(stackGlobal)).getMessage().contains("'builtins.eval'"));
        byte[] modelClass = new PickleBuilder().proto().global("networks.DDAM", "DDAMNet").emptyTuple().op(0x81).stop().bytes();
        assertTrue(refused("b.pth", zipWithPickle(modelClass)).getMessage().contains("'networks.DDAM.DDAMNet'"));
    }

    @Test
    void refusesUnknownOpcodes() throws IOException {
        // INST ('i') names and calls a class without going through GLOBAL: never implemented.
        byte[] inst = new PickleBuilder().proto().mark().op('i').raw("os\nsystem\n".getBytes()).stop().bytes();
        assertTrue(refused("inst.pth", zipWithPickle(inst)).getMessage().contains("unsupported pickle opcode 0x69 ('i')"));
    }

    @Test
    void rejectsNonZipLegacyAndTruncatedFiles() throws IOException {
        assertTrue(refused("text.pth", "hello, not a checkpoint".getBytes()).getMessage().endsWith("not a zip archive"));
        assertTrue(refused("legacy.pth", new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10}).getMessage().contains("legacy (non-zip)"));
        assertTrue(refused("empty.pth", new byte[0]).getMessage().contains("not a zip archive"));
        byte[] full = viewsCheckpoint(false);
        for (int cut = 1; cut < full.length; cut += 7) { // every kind of cut: a clear error, never a crash
            refused("cut.pth", Arrays.copyOf(full, cut));
        }
        assertTrue(refused("half.pth", Arrays.copyOf(full, full.length / 2)).getMessage().contains("truncated"));
    }

    @Test
    void truncatedFixtureGivesOneClearError() throws IOException {
        byte[] real = Files.readAllBytes(Fixtures.file("lstm_head.pth"));
        CheckpointFormatException e = refused("lstm_cut.pth", Arrays.copyOf(real, real.length - 100));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsTruncatedPickleAndMissingParts() throws IOException {
        byte[] noStop = new PickleBuilder().proto().emptyDict().str("a").bytes();
        assertTrue(refused("nostop.pth", zipWithPickle(noStop)).getMessage().contains("pickle truncated"));

        byte[] noPkl = new ZipBuilder().put("model/version", "3\n".getBytes()).bytes();
        assertTrue(refused("nopkl.pth", noPkl).getMessage().contains("no <archive>/data.pkl"));

        byte[] sd = new PickleBuilder().proto().orderedDict().str("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).setitem().stop().bytes();
        assertTrue(refused("nostorage.pth", zipWithPickle(sd)).getMessage().contains("missing storage model/data/0"));

        byte[] shortStorage = new ZipBuilder().put("model/data.pkl", sd).put("model/data/0", floats(1, 2)).bytes();
        assertTrue(refused("short.pth", shortStorage).getMessage().contains("has 8 bytes, but 4 x FloatStorage need 16"));

        byte[] outOfRange = new PickleBuilder().proto().orderedDict().str("w")
                .tensor("FloatStorage", "0", 2, 1, new long[] {2}, new long[] {1}).setitem().stop().bytes();
        byte[] oor = new ZipBuilder().put("model/data.pkl", outOfRange).put("model/data/0", floats(1, 2)).bytes();
        assertTrue(refused("oor.pth", oor).getMessage().contains("exceeds storage 0 of 2 elements"));

        byte[] noTensors = new PickleBuilder().proto().emptyDict().str("iter").integer(3).setitem().stop().bytes();
        assertTrue(refused("empty.pth", zipWithPickle(noTensors)).getMessage().contains("no tensors found; top-level keys are [iter]"));
    }

    @Test
    void rejectsTorchScriptAndBigEndianArchives() throws IOException {
        byte[] pickle = new PickleBuilder().proto().orderedDict().stop().bytes();
        byte[] script = new ZipBuilder().put("m/data.pkl", pickle).put("m/constants.pkl", pickle).bytes();
        assertTrue(refused("script.pt", script).getMessage().contains("TorchScript"));
        byte[] big = new ZipBuilder().put("m/data.pkl", pickle).put("m/byteorder", "big".getBytes()).bytes();
        assertTrue(refused("big.pt", big).getMessage().contains("byte order 'big'"));
    }
}
