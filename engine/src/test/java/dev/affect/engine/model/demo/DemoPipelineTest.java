package dev.affect.engine.model.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineOutput;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo weights on real backends: they load, keep a sane scale, and answer differently to different frames. */
class DemoPipelineTest {
    static final long SEED = 20240917L;
    /** Root mean square every stage must stay within: no explosion, no vanishing. */
    static final double MIN_RMS = 0.1;
    static final double MAX_RMS = 10;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.demo.DemoBackends#names")
    void backboneLoadsKeepsItsScaleAndTellsFramesApart(String backendName) {
        Tensor frames = DemoBackends.frames(2, 1);
        List<String> outputs = new ArrayList<>(List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING));
        outputs.addAll(DemoBackends.stageOutputs());
        try (Backend backend = DemoBackends.open(backendName);
             Ddamfn model = DemoBackends.backbone(DemoWeights.ddamfn(SEED), backend, 2)) {
            assertEquals(DemoWeights.DDAMFN_CONFIG, model.config());
            Map<String, Tensor> out = model.run(frames, outputs);
            for (String name : outputs) {
                System.out.printf("demo %s %-12s rms %.4g%n", backendName, name, rms(out.get(name).toFloatArray()));
            }
            for (String name : outputs) {
                double rms = rms(out.get(name).toFloatArray());
                assertTrue(rms >= MIN_RMS && rms <= MAX_RMS, name + " rms " + rms + " outside [" + MIN_RMS + ", " + MAX_RMS + "]");
            }
            Tensor logits = out.get(DdamfnNetwork.LOGITS);
            assertEquals(Shape.of(2, 8), logits.shape());
            for (int i = 0; i < 2; i++) {
                double std = std(logits.slice(i, i + 1).toFloatArray());
                assertTrue(std >= 1e-3 && std <= 1e3, "frame " + i + " logits std across classes " + std);
            }
            assertDiffer(logits, "logits");
            assertDiffer(out.get(DdamfnNetwork.EMBEDDING), "embeddings");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.demo.DemoBackends#names")
    void lstmHeadsForEveryTaskRunInAPipeline(String backendName) {
        Tensor frames = DemoBackends.frames(3, 2);
        try (Backend backend = DemoBackends.open(backendName);
             Ddamfn model = DemoBackends.backbone(DemoWeights.ddamfn(SEED), backend, 3);
             Head va = Head.load(DemoWeights.lstmHead(Task.VA, SEED), backend);
             Head expr = Head.load(DemoWeights.lstmHead(Task.EXPR, SEED), backend);
             Head au = Head.load(DemoWeights.lstmHead(Task.AU, SEED), backend);
             TensorScope scope = new TensorScope()) {
            Pipeline pipeline = Pipeline.of(model, List.of(va, expr, au));
            PipelineOutput clip = pipeline.run(frames, pipeline.newState(scope), scope);
            for (Task task : Task.values()) {
                Tensor values = clip.get(task);
                assertEquals(Shape.of(3, task.outputSize()), values.shape(), task.toString());
                float[] v = values.toFloatArray();
                for (float x : v) {
                    assertTrue(Float.isFinite(x), task + " value " + x);
                }
                assertDiffer(values, task.toString());
            }
            float[] probabilities = clip.get(Task.EXPR).slice(0, 1).toFloatArray();
            double sum = 0;
            for (float p : probabilities) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-4, "expression probabilities of one frame");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.demo.DemoBackends#names")
    void fcHeadsLoad(String backendName) {
        try (Backend backend = DemoBackends.open(backendName)) {
            for (Task task : Task.values()) {
                try (Head h = Head.load(DemoWeights.fcHead(task, SEED), backend)) {
                    assertEquals(task, h.task().orElseThrow());
                    assertEquals(512, h.inputSize());
                }
            }
        }
    }

    /** Rows 0 and 1 differ by more than rounding. */
    private static void assertDiffer(Tensor t, String what) {
        float[] a = t.slice(0, 1).toFloatArray();
        float[] b = t.slice(1, 2).toFloatArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(Float.isFinite(a[i]) && Float.isFinite(b[i]), what + " not finite");
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
        }
        assertTrue(diff > 1e-4 * scale && diff > 0, what + " are the same for two different frames (max diff " + diff + ")");
    }

    private static double rms(float[] v) {
        double s = 0;
        for (float x : v) {
            assertTrue(Float.isFinite(x), "not finite: " + x);
            s += (double) x * x;
        }
        return Math.sqrt(s / v.length);
    }

    private static double std(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / v.length);
    }
}
