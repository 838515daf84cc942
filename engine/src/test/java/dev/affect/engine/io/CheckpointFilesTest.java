package dev.affect.engine.io;

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
}
