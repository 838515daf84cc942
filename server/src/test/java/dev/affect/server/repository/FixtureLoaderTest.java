package dev.affect.server.repository;

import dev.affect.engine.backend.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** For tests that load fixture pipelines: one backend and a {@link RepositoryFixtures#loader} on it for the whole class. */
public abstract class FixtureLoaderTest {
    protected static Backend backend;
    protected static PipelineLoader loader;

    @BeforeAll
    static void openLoader() {
        backend = RepositoryFixtures.backend();
        loader = RepositoryFixtures.loader(backend);
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }
}
