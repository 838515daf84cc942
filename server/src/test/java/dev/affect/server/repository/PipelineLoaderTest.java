package dev.affect.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import dev.affect.server.pipeline.InferenceModel;
import dev.affect.server.pipeline.NameTakenException;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture checkpoints: the 8-class backbone and the training fixtures' initial LSTM heads. */
class PipelineLoaderTest extends FixtureLoaderTest {

    @Test
    void loadsABackboneWithAHeadPerTask() throws Exception {
        PipelineFiles files = new PipelineFiles(RepositoryFixtures.backbone(), Map.of(
                Task.AU, RepositoryFixtures.auHead(), Task.VA, RepositoryFixtures.vaHead(), Task.EXPR, RepositoryFixtures.exprHead()));
        ServedPipeline p = loader.load("full", files, "fixtures");
        try {
            assertEquals("full", p.name());
            assertEquals(List.of(Task.VA, Task.EXPR, Task.AU), p.tasks());
            assertEquals(8, p.classNames().size());
            assertEquals("fixtures", p.description());
            assertFalse(p.demo());
            assertTrue(p.pipeline().isPresent());
            assertTrue(p.heads().get(Task.VA).describe().startsWith("LSTM("), p.heads().get(Task.VA).describe());
        } finally {
            p.retire();
        }
        assertFalse(p.isOpen());
    }

    @Test
    void aHeadInTheWrongSlotIsRefusedNamingTheFile() {
        Path va = RepositoryFixtures.vaHead();
        PipelineFiles files = new PipelineFiles(RepositoryFixtures.backbone(), Map.of(Task.EXPR, RepositoryFixtures.exprHead(), Task.AU, va));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loader.load("wrong", files, ""));
        assertEquals(va.toString(), e.field());
        assertEquals(va + ": holds a VA head, given as the AU head", e.getMessage());
    }

    @Test
    void aHeadAsTheBackboneIsRefused() {
        Path va = RepositoryFixtures.vaHead();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> loader.load("headonly", PipelineFiles.backboneOnly(va), ""));
        assertEquals(va + ": holds a head (task layer 'va'), not a DDAMFN backbone", e.getMessage());
    }

    @Test
    void aBackboneAsAHeadIsRefused() {
        Path backbone = RepositoryFixtures.backbone();
        PipelineFiles files = new PipelineFiles(backbone, Map.of(Task.VA, backbone));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loader.load("twice", files, ""));
        assertEquals(backbone + ": holds a DDAMFN backbone, not a VA head", e.getMessage());
    }

    @Test
    void aMissingFileIsNamedBeforeAnythingLoads(@TempDir Path dir) {
        Path missing = dir.resolve("au.pth");
        PipelineFiles files = new PipelineFiles(RepositoryFixtures.backbone(), Map.of(Task.AU, missing));
        MissingFileException e = assertThrows(MissingFileException.class, () -> loader.load("missing", files, ""));
        assertEquals(missing, e.file());
        assertEquals(missing + ": no such file (au head)", e.getMessage());
    }

    @Test
    void aBadNameIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> loader.load("../up", PipelineFiles.backboneOnly(java.nio.file.Path.of("never-read.pth")), ""));
        assertEquals("name", e.field());
    }

    @Test
    void singleCheckpointsGoIntoTheRegistryByKind() throws Exception {
        try (PipelineRegistry registry = new PipelineRegistry()) {
            assertEquals(CheckpointKind.BACKBONE, loader.loadInto(registry, "ddamfn", RepositoryFixtures.backbone()));
            assertEquals(CheckpointKind.HEAD, loader.loadInto(registry, "va", RepositoryFixtures.vaHead()));
            ServedPipeline p = registry.resolve("ddamfn");
            assertTrue(p.heads().isEmpty());
            assertTrue(p.pipeline().isEmpty());
            InferenceModel head = registry.inferenceModel("va").orElseThrow();
            assertInstanceOf(InferenceModel.HeadModel.class, head);
            assertEquals(null, head.owner());
            assertThrows(NameTakenException.class, () -> loader.loadInto(registry, "va", RepositoryFixtures.auHead()));
            assertThrows(NameTakenException.class, () -> loader.loadInto(registry, "ddamfn", RepositoryFixtures.backbone()));
        }
    }
}
