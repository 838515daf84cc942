package dev.affect.cli.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointCatalogTest {

    @Test
    void gitBlobIdIsWhatGitHashObjectSays() {
        // `printf 'hello\n' | git hash-object --stdin` and the empty blob
        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", GitBlobId.of("hello\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", GitBlobId.of(new byte[0]));
    }

    @Test
    void affectnet8ComesFromTheAuthorsRawUrlWithItsBlobId() {
        PublishedCheckpoint e = CheckpointCatalog.ddamfn().find("affectnet8");
        assertEquals("https://github.com/SainingZhang/DDAMFN/raw/main/DDAMFN%2B%2B/checkpoints_ver2.0/affecnet8_epoch25_acc0.6469.pth",
                e.url(CheckpointCatalog.DEFAULT_BASE_URL));
        assertEquals("b8dce63bfc249c270cd09f5adc34cf7948954b1f", e.blob().orElseThrow());
        assertEquals(8, e.classes());
        assertEquals("affecnet8_epoch25_acc0.6469.pth", e.fileName());
    }

    @Test
    void theThreePublishedCheckpoints() {
        CheckpointCatalog c = CheckpointCatalog.ddamfn();
        assertEquals(List.of("affectnet7", "affectnet8", "rafdb"), c.entries().stream().map(PublishedCheckpoint::name).toList());
        assertEquals(7, c.find("affectnet7").classes());
        assertEquals(7, c.find("rafdb").classes());
        for (PublishedCheckpoint e : c.entries()) {
            assertTrue(e.path().startsWith("DDAMFN++/checkpoints_ver2.0/") && e.path().endsWith(".pth"), e.path());
            e.blob().ifPresent(b -> assertTrue(b.matches("[0-9a-f]{40}"), b));
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CheckpointCatalog.ddamfn().find("fer"));
        assertTrue(e.getMessage().contains("affectnet7, affectnet8, rafdb"), e.getMessage());
    }

    @Test
    void baseUrlWithOrWithoutTrailingSlash() {
        PublishedCheckpoint e = new PublishedCheckpoint("x", "", "a b/c+d.pth", 1, java.util.Optional.empty());
        assertEquals("http://h/a%20b/c%2Bd.pth", e.url("http://h/"));
        assertEquals("http://h/a%20b/c%2Bd.pth", e.url("http://h"));
    }
}
