package dev.affect.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.ModelNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest extends FixtureLoaderTest {

    @TempDir
    Path root;

    /** good/ links the fixtures under relative names; broken/ puts the VA head in the AU slot. */
    private ModelRepository repository() throws Exception {
        Path good = Files.createDirectories(root.resolve("good"));
        Files.createSymbolicLink(good.resolve("ddamfn.pth"), RepositoryFixtures.backbone().toAbsolutePath());
        Files.createSymbolicLink(good.resolve("va.safetensors"), RepositoryFixtures.vaHead().toAbsolutePath());
        RepositoryFixtures.writePipeline(root, "good", """
                {"backbone": "ddamfn.pth", "heads": {"va": "va.safetensors"}, "description": "fixture pipeline"}
                """);
        RepositoryFixtures.writePipeline(root, "broken", "{\"backbone\": " + RepositoryFixtures.quoted(RepositoryFixtures.backbone())
                + ", \"heads\": {\"au\": " + RepositoryFixtures.quoted(RepositoryFixtures.vaHead()) + "}}");
        Files.createDirectories(root.resolve("notapipeline"));
        Files.writeString(root.resolve("README.md"), "not a folder");
        return new ModelRepository(root, loader);
    }

    @Test
    void listsEveryFolderWithAPipelineJson() throws Exception {
        assertEquals(List.of("broken", "good"), repository().names());
        assertEquals(List.of(), new ModelRepository(root.resolve("absent"), loader).names());
    }

    @Test
    void loadAllSkipsTheBrokenPipelineAndLoadsTheRest() throws Exception {
        ModelRepository repository = repository();
        try (PipelineRegistry registry = new PipelineRegistry()) {
            assertEquals(List.of("good"), repository.loadAll(registry));
            ServedPipeline good = registry.resolve("good");
            assertEquals(List.of(Task.VA), good.tasks());
            assertEquals("fixture pipeline", good.description());
            assertEquals(List.of(good), registry.list());
        }
    }

    @Test
    void loadsOneByName() throws Exception {
        ModelRepository repository = repository();
        ServedPipeline good = repository.load("good");
        good.retire();
        InvalidInputException broken = assertThrows(InvalidInputException.class, () -> repository.load("broken"));
        assertTrue(broken.getMessage().endsWith("holds a VA head, given as the AU head"), broken.getMessage());
        ModelNotFoundException missing = assertThrows(ModelNotFoundException.class, () -> repository.load("nope"));
        assertTrue(missing.getMessage().startsWith("no pipeline 'nope' in the model repository: "), missing.getMessage());
        assertTrue(missing.getMessage().endsWith("available: broken, good"), missing.getMessage());
        assertThrows(ModelNotFoundException.class, () -> repository.load("notapipeline"));
        assertEquals("name", assertThrows(InvalidInputException.class, () -> repository.load("..")).field());
    }
}
