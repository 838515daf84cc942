package dev.affect.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineOutput;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Needs no fixtures: the demo pipeline is generated. */
class DemoPipelineTest {
    @Test
    void buildsAndAnswersAFrameForEveryTask() {
        try (Backend backend = RepositoryFixtures.backend();
             PipelineRegistry registry = new PipelineRegistry();
             TensorScope scope = new TensorScope()) {
            assertTrue(DemoPipeline.registerIfEmpty(registry, RepositoryFixtures.loader(backend)));
            assertFalse(DemoPipeline.registerIfEmpty(registry, RepositoryFixtures.loader(backend)));
            ServedPipeline demo = registry.resolve("");
            assertEquals(DemoPipeline.NAME, demo.name());
            assertTrue(demo.demo());
            assertEquals(DemoWeights.NOTICE, demo.description());
            assertEquals(List.of(Task.VA, Task.EXPR, Task.AU), demo.tasks());

            Pipeline pipeline = demo.pipeline().orElseThrow();
            PipelineOutput out = pipeline.run(frame(), pipeline.newState(scope), scope);
            for (Task task : Task.values()) {
                Tensor values = out.get(task);
                assertEquals(Shape.of(1, task.outputSize()), values.shape(), task.toString());
                for (float v : values.toFloatArray()) {
                    assertTrue(Float.isFinite(v), task + " value " + v);
                }
            }
        }
    }

    private static Tensor frame() {
        Random r = new Random(7);
        float[] v = new float[3 * 112 * 112];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, 1, 3, 112, 112);
    }
}
