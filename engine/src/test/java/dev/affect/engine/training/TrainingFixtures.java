package dev.affect.engine.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;

/** One case folder of fixtures/training. */
record TrainingFixtures(Path dir) {

    static TrainingFixtures of(String caseName) {
        return new TrainingFixtures(SharedFixtures.dir("training").resolve(caseName));
    }

    Tensor npy(String name) throws IOException {
        return NpyReader.read(dir.resolve(name));
    }

    StateDict safetensors(String name) throws IOException {
        return CheckpointFiles.read(dir.resolve(name));
    }

    ParameterStore initialStore() throws IOException {
        return ParameterStore.copyOf(safetensors("init.safetensors").asMap());
    }

    JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(name).toFile());
    }
}
