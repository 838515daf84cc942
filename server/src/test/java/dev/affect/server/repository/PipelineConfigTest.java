package dev.affect.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.heads.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
    @TempDir
    Path root;

    @Test
    void aFullConfigResolvesPathsAgainstItsFolder() throws Exception {
        Path file = RepositoryFixtures.writePipeline(root, "full", """
                {"backbone": "ddamfn.pth",
                 "heads": {"va": "va.pth", "expr": "expr.safetensors", "au": "sub/au.pth"},
                 "description": "AffectNet-8 with Aff-Wild2 heads", "source": "https://example.org/x", "blob": "sha256:ab",
                 "future_key": {"ignored": true}}
                """);
        PipelineConfig c = PipelineConfig.read(file);
        Path folder = root.resolve("full").toAbsolutePath();
        assertEquals(folder.resolve("ddamfn.pth"), c.files().backbone());
        assertEquals(List.of(Task.VA, Task.EXPR, Task.AU), List.copyOf(c.files().heads().keySet()));
        assertEquals(folder.resolve("sub/au.pth"), c.files().heads().get(Task.AU));
        assertEquals("AffectNet-8 with Aff-Wild2 heads", c.displayDescription());
        assertEquals("https://example.org/x", c.source());
        assertEquals("sha256:ab", c.blob());
        assertEquals(folder, c.folder());
    }

    @Test
    void whatModelsPullWritesIsEnough() throws Exception {
        Path file = RepositoryFixtures.writePipeline(root, "pulled", """
                {"backbone": "affectnet8.pth", "source": "https://example.org/a.pth", "blob": "abc123"}
                """);
        PipelineConfig c = PipelineConfig.read(file);
        assertTrue(c.files().heads().isEmpty());
        assertEquals("", c.description());
        assertEquals("pulled from https://example.org/a.pth (blob abc123)", c.displayDescription());
    }

    @Test
    void aMissingBackboneNamesTheFileAndField() throws Exception {
        Path file = RepositoryFixtures.writePipeline(root, "nobackbone", "{\"heads\": {\"va\": \"va.pth\"}}");
        PipelineConfigException e = assertThrows(PipelineConfigException.class, () -> PipelineConfig.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": backbone: missing"), e.getMessage());
    }

    @Test
    void badJsonNamesTheFileAndWhere() throws Exception {
        Path file = RepositoryFixtures.writePipeline(root, "badjson", "{\"backbone\": \"a.pth\",\n \"heads\": {\"va\" \"x\"}}");
        PipelineConfigException e = assertThrows(PipelineConfigException.class, () -> PipelineConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("(line 2, column"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void anUnknownHeadTaskIsAnError() throws Exception {
        Path file = RepositoryFixtures.writePipeline(root, "unknowntask", """
                {"backbone": "a.pth", "heads": {"va": "va.pth", "valence": "v.pth"}}
                """);
        PipelineConfigException e = assertThrows(PipelineConfigException.class, () -> PipelineConfig.read(file));
        assertEquals(file + ": heads.valence: unknown task (expected va, expr or au)", e.getMessage());
    }

    @Test
    void wrongTypesAreNamed() throws Exception {
        Path file = RepositoryFixtures.writePipeline(root, "types", "{\"backbone\": 3}");
        assertTrue(assertThrows(PipelineConfigException.class, () -> PipelineConfig.read(file)).getMessage()
                .startsWith(file + ": backbone: must be a non-empty file path"));
        Path heads = RepositoryFixtures.writePipeline(root, "heads", "{\"backbone\": \"a.pth\", \"heads\": [\"va.pth\"]}");
        assertTrue(assertThrows(PipelineConfigException.class, () -> PipelineConfig.read(heads)).getMessage()
                .startsWith(heads + ": heads: must be an object"));
        Path dup = RepositoryFixtures.writePipeline(root, "dup", "{\"backbone\": \"a.pth\", \"backbone\": \"b.pth\"}");
        assertTrue(assertThrows(PipelineConfigException.class, () -> PipelineConfig.read(dup)).getMessage()
                .contains("Duplicate field 'backbone'"));
    }

    @Test
    void aMissingFileIsNotFound() {
        Path file = root.resolve("none").resolve(PipelineConfig.FILE_NAME);
        MissingFileException e = assertThrows(MissingFileException.class, () -> PipelineConfig.read(file));
        assertEquals(file, e.file());
    }
}
