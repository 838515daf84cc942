package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** affect infer end to end: real checkpoints, real image decoding, files compared with PyTorch's. */
class InferCommandTest {
    @TempDir
    Path tmp;

    @Test
    void npyInputReproducesPyTorchLogitsAndWritesAllThreeFiles() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("infer", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(),
                "--input", Fixtures.reference("input.npy").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertClose(NpyReader.read(out.resolve("logits.npy")), NpyReader.read(Fixtures.reference("logits.npy")));
        assertClose(NpyReader.read(out.resolve("embedding.npy")), NpyReader.read(Fixtures.reference("embedding.npy")));
        JsonNode json = new ObjectMapper().readTree(out.resolve("probabilities.json").toFile());
        assertEquals(8, json.get("classes").size());
        assertEquals("Neutral", json.get("classes").get(0).asText());
        assertEquals(4, json.get("items").size());
        for (JsonNode item : json.get("items")) {
            double sum = 0;
            for (JsonNode p : item.get("probabilities")) {
                sum += p.asDouble();
            }
            assertEquals(1.0, sum, 1e-9);
        }
    }

    @Test
    void headsTurnTheFramesIntoOneClipAndWriteEveryTask() throws IOException {
        Path out = tmp.resolve("out");
        Path rawHead = Fixtures.reference("lstm_head.pth");
        CliRun r = CliRun.of("infer", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(),
                "--input", Fixtures.reference("input.npy").toString(), "--out", out.toString(), "--batch", "3",
                "--head", Fixtures.training("lstm_va_adam", "init.safetensors").toString(),
                "--head", Fixtures.training("fc_expr_adam", "init.safetensors").toString(),
                "--head", Fixtures.training("lstm_au_adamw", "init.safetensors").toString(),
                "--head", rawHead.toString());
        assertEquals(0, r.exitCode(), r.err());
        Tensor va = NpyReader.read(out.resolve("va.npy"));
        Tensor expr = NpyReader.read(out.resolve("expr.npy"));
        Tensor au = NpyReader.read(out.resolve("au.npy"));
        assertEquals(dev.affect.engine.tensor.Shape.of(4, 2), va.shape());
        assertEquals(dev.affect.engine.tensor.Shape.of(4, 8), expr.shape());
        assertEquals(dev.affect.engine.tensor.Shape.of(4, 12), au.shape());
        for (int t = 0; t < 4; t++) {
            double sum = 0;
            for (int k = 0; k < 8; k++) {
                sum += expr.getFloat(t * 8L + k);
            }
            assertEquals(1.0, sum, 1e-5, "expression probabilities of frame " + t);
            for (int k = 0; k < 2; k++) {
                assertTrue(Math.abs(va.getFloat(t * 2L + k)) < 1f, "tanh range");
            }
        }
        // the raw head saw the 4 frames as one sequence in order: replay it on the embeddings written
        Tensor raw = NpyReader.read(out.resolve("out.npy"));
        Tensor embedding = NpyReader.read(out.resolve("embedding.npy"));
        try (var backend = dev.affect.engine.backend.Backends.open("reference");
             var head = (dev.affect.engine.model.heads.LstmHead) dev.affect.engine.model.heads.Head.load(rawHead, backend);
             var scope = new dev.affect.engine.tensor.TensorScope()) {
            Tensor expected = Tensor.zeros(raw.shape());
            var state = head.newState(scope);
            for (int t = 0; t < 4; t++) {
                head.sequenceRaw(embedding.slice(t, t + 1), state, expected.slice(t, t + 1));
            }
            assertClose(raw, expected);
        }
        JsonNode item = new ObjectMapper().readTree(out.resolve("probabilities.json").toFile()).get("items").get(3);
        assertTrue(item.get("va").has("valence") && item.get("va").has("arousal"), item.toString());
        assertEquals(8, item.get("expr").get("probabilities").size());
        assertTrue(item.get("au").has("active"), item.toString());
        assertEquals(2, item.get("out").size());
    }

    @Test
    void folderOfImagesIsSortedAndSkipsOtherFiles() throws IOException {
        Path faces = Files.createDirectory(tmp.resolve("faces"));
        Files.copy(Fixtures.reference("face_c.png"), faces.resolve("2_c.png"));
        Files.copy(Fixtures.reference("face_a.png"), faces.resolve("1_a.png"));
        Files.writeString(faces.resolve("notes.txt"), "not an image");
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("infer", "--checkpoint", Fixtures.reference("ddamfn_8_class.safetensors").toString(),
                "--input", faces.toString(), "--out", out.toString(), "--batch", "1");
        assertEquals(0, r.exitCode(), r.err());
        Tensor logits = NpyReader.read(out.resolve("logits.npy"));
        Tensor expected = NpyReader.read(Fixtures.reference("faces_logits.npy"));
        assertClose(logits.slice(0, 1), expected.slice(0, 1));
        assertClose(logits.slice(1, 2), expected.slice(2, 3));
        JsonNode json = new ObjectMapper().readTree(out.resolve("probabilities.json").toFile());
        assertEquals("1_a.png", json.get("items").get(0).get("input").asText());
    }

    @Test
    void singleJpegImage() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("infer", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(),
                "--input", Fixtures.reference("face_b.jpg").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertClose(NpyReader.read(out.resolve("logits.npy")), NpyReader.read(Fixtures.reference("faces_logits.npy")).slice(1, 2));
    }

    @Test
    void badInputsExitWithCodeTwoAndOneLine() throws IOException {
        String ckpt = Fixtures.reference("ddamfn_8_class.pth").toString();
        Path corrupt = Files.write(tmp.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        String[][] cases = {
            {"--checkpoint", tmp.resolve("missing.pth").toString(), "--input", Fixtures.reference("input.npy").toString()},
            {"--checkpoint", ckpt, "--input", corrupt.toString()},
            {"--checkpoint", ckpt, "--input", Fixtures.reference("logits.npy").toString()},
            {"--checkpoint", ckpt, "--input", empty.toString()},
            {"--checkpoint", Fixtures.reference("lstm_head.pth").toString(), "--input", Fixtures.reference("input.npy").toString()},
            {"--checkpoint", Fixtures.reference("input.npy").toString(), "--input", Fixtures.reference("input.npy").toString()},
            {"--checkpoint", ckpt, "--input", Fixtures.reference("input.npy").toString(), "--backend", "tpu"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 3];
            args[0] = "infer";
            System.arraycopy(c, 0, args, 1, c.length);
            args[c.length + 1] = "--out";
            args[c.length + 2] = tmp.resolve("out").toString();
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), () -> String.join(" ", c) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), () -> "one line expected, got: " + r.err());
            assertTrue(r.err().startsWith("affect infer: "), r.err());
        }
        assertTrue(Files.notExists(tmp.resolve("out").resolve("logits.npy")), "no partial output on failure");
    }

    /** A zip entry declaring 4 GiB in a few hundred bytes: one line naming the entry, not an allocation. */
    @Test
    void checkpointWithALyingEntrySizeExitsTwoWithOneLine() throws IOException {
        Path lying = Files.write(tmp.resolve("lying.pth"), zipDeclaring("model/data.pkl", new byte[64 * 1024], 0xffffffffL));
        long start = System.nanoTime();
        CliRun r = CliRun.of("infer", "--checkpoint", lying.toString(), "--input", Fixtures.reference("input.npy").toString(),
                "--out", tmp.resolve("out").toString());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused quickly");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), () -> "one line expected, got: " + r.err());
        assertTrue(r.err().matches("affect infer: " + java.util.regex.Pattern.quote(lying.toString())
                + ": zip entry 'model/data.pkl' declares 4294967295 bytes, more than \\d+ deflated bytes can hold\\R"), r.err());
    }

    /** A deflated one-entry zip whose central directory and local header declare {@code size}. */
    private static byte[] zipDeclaring(String name, byte[] content, long size) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        ByteBuffer b = ByteBuffer.wrap(buffer.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= b.capacity(); i++) {
            if (b.getInt(i) == 0x02014b50) {
                b.putInt(i + 24, (int) size); // central directory: uncompressed size
            } else if (b.getInt(i) == 0x04034b50) {
                b.putInt(i + 22, (int) size); // local header: uncompressed size
            }
        }
        return b.array();
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun r = CliRun.of("infer", "--input", "x.npy");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--checkpoint"), r.err());
    }

    static void assertClose(Tensor actual, Tensor expected) {
        assertEquals(expected.numel(), actual.numel());
        double maxDiff = 0;
        double maxRef = 0;
        for (long i = 0; i < expected.numel(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual.getDouble(i) - expected.getDouble(i)));
            maxRef = Math.max(maxRef, Math.abs(expected.getDouble(i)));
        }
        double rel = maxDiff / maxRef;
        assertTrue(rel < 1e-4, "relative error " + rel);
    }
}
