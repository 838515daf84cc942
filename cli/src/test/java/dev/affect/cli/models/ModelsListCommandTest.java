package dev.affect.cli.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsListCommandTest {
    @TempDir
    Path tmp;

    @Test
    void listsEveryEntryAndWhichArePulled() throws IOException {
        Path pulled = tmp.resolve("rafdb").resolve("rafdb_epoch20_acc0.9204_bacc0.8617.pth");
        Files.createDirectories(pulled.getParent());
        Files.write(pulled, new byte[] {1});
        ModelsPullCommandTest.Run r = ModelsPullCommandTest.run("models", "list", "--models-dir", tmp.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String name : new String[] {"affectnet7", "affectnet8", "rafdb"}) {
            assertTrue(r.out().contains(name), r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("rafdb") && l.contains("pulled")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("affectnet8") && !l.contains("pulled")), r.out());
        assertTrue(r.out().contains("b8dce63bfc249c270cd09f5adc34cf7948954b1f"), r.out());
    }

    @Test
    void modelsAloneIsAUsageError() {
        assertEquals(2, ModelsPullCommandTest.run("models").exitCode());
    }
}
