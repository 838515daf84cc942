package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    @Test
    void picksTheReaderByExtension() throws IOException {
        assertEquals(CheckpointFiles.Format.TORCH_ZIP, CheckpointFiles.detect(Path.of("a/b.pth")));
        assertEquals(CheckpointFiles.Format.TORCH_ZIP, CheckpointFiles.detect(Path.of("b.PT")));
        assertEquals(CheckpointFiles.Format.SAFETENSORS, CheckpointFiles.detect(Path.of("b.safetensors")));
        Path npy = Fixtures.file("input.npy");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointFiles.read(npy));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
        assertEquals(1190, CheckpointFiles.read(Fixtures.file("ddamfn_8_class.safetensors")).size());
    }

    @Test
    void fallsBackToMagicBytes() throws IOException {
        Path torch = Files.copy(Fixtures.file("lstm_head.pth"), dir.resolve("weights.bin"));
        assertEquals(8, CheckpointFiles.read(torch).size());
        Path st = dir.resolve("weights.dat");
        SafetensorsWriter.write(st, TorchCheckpointReader.readStateDict(torch));
        assertEquals(CheckpointFiles.Format.SAFETENSORS, CheckpointFiles.detect(st));
        assertEquals(TorchCheckpointReader.readStateDict(torch).names(), CheckpointFiles.read(st).names());
        Path npy = Files.copy(Fixtures.file("logits.npy"), dir.resolve("logits.bin"));
        assertThrows(CheckpointFormatException.class, () -> CheckpointFiles.read(npy));
        Path junk = Files.writeString(dir.resolve("junk.bin"), "junk");
        assertTrue(assertThrows(CheckpointFormatException.class, () -> CheckpointFiles.read(junk))
                .getMessage().contains("unknown weights format"));
    }

    @Test
    void readAndReleaseFreesTheTensorsWhenTheCallEnds() throws IOException {
        Path file = Fixtures.file("lstm_head.pth");
        float[] expected = CheckpointFiles.read(file).get("fc.weight").toFloatArray();
        StateDict[] seen = new StateDict[1];
        float[] during = CheckpointFiles.readAndRelease(file, sd -> {
            seen[0] = sd;
            return sd.get("fc.weight").toFloatArray();
        });
        assertArrayEquals(expected, during);
        assertThrows(IllegalStateException.class, () -> seen[0].get("fc.weight").toFloatArray(), "freed after the call");
        RuntimeException boom = new RuntimeException("boom");
        assertEquals(boom, assertThrows(RuntimeException.class, () -> CheckpointFiles.readAndRelease(file, sd -> {
            seen[0] = sd;
            throw boom;
        })));
        assertThrows(IllegalStateException.class, () -> seen[0].get("fc.weight").toFloatArray(), "freed after a failure too");
    }
}
