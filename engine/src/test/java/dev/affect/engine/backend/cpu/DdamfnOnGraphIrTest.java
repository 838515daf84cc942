package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GraphRuns.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.InferenceFusion;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.model.Ddamfn;
import dev.affect.engine.model.DdamfnConfig;
import dev.affect.engine.model.DdamfnGraph;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real DDAMFN (the shared fixture checkpoint), fused by the old pass and carried over to the
 * graph IR, on the new executables against the old plans: same outputs (timings printed), and a
 * weight cache that does not grow with the number of executables.
 */
class DdamfnOnGraphIrTest {
    private static final int SIZE = DdamfnConfig.INPUT_SIZE;

    @Test
    void newExecutablesMatchTheOldPlans() throws IOException {
        RequiredBackend.require("cpu");
        Path checkpoint = SharedFixtures.reference("ddamfn_8_class.pth");
        Assumptions.assumeTrue(Files.exists(checkpoint), "fixture missing: " + checkpoint);
        List<String> outputs = List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING);
        Random rng = new Random(13);
        try (Backend cpu = Backends.open("cpu", new BackendOptions(1)); // one thread: robust to a busy machine
             Ddamfn model = Ddamfn.create(CheckpointFiles.read(checkpoint), cpu);
             ParameterStore store = new ParameterStore()) {
            Graph graph;
            try (TensorScope folded = new TensorScope()) {
                dev.affect.engine.backend.Graph fused = InferenceFusion.apply(model.graph().selectOutputs(outputs),
                        Map.of(DdamfnGraph.INPUT, Ddamfn.inputShape(1)), folded);
                graph = OldGraphConverter.convert(fused, DdamfnGraph.INPUT, 3, SIZE, SIZE, store);
            }
            try (var prepared = (CpuPreparedModel) cpu.prepare(graph, store)) {
                List<Executable> exes = new ArrayList<>();
                try {
                    long cacheAtOne = -1;
                    for (int n : new int[] {1, 2, 4, 8}) {
                        Executable e = prepared.compile(Map.of(DdamfnGraph.INPUT, Ddamfn.inputShape(n)));
                        exes.add(e);
                        cacheAtOne = cacheAtOne < 0 ? prepared.weightCacheBytes() : cacheAtOne;
                        Tensor x = gaussian(rng, 1f, n, 3, SIZE, SIZE);
                        Plan plan = model.plan(n, outputs);
                        Map<String, Tensor> expected = plan.run(Map.of(DdamfnGraph.INPUT, x), outputs);
                        try (ExecutionContext c = e.newContext()) {
                            Map<String, Tensor> actual = c.run(Map.of(DdamfnGraph.INPUT, x));
                            for (String o : outputs) {
                                double err = Tensors.relativeError(actual.get(o), expected.get(o));
                                assertTrue(err < 1e-5, o + " at batch " + n + ": relative error " + err);
                            }
                            if (n == 1) {
                                System.out.printf("DDAMFN batch 1: old plan %.2f ms, new executable %.2f ms%n",
                                        millis(plan::execute), millis(c::execute));
                                System.out.println(e.describe().lines().filter(l -> l.contains("ref") || l.contains("java"))
                                        .toList());
                            }
                        }
                    }
                    // a few 1x1 convolutions want another layout past batch 1 (the first has only a ref kernel
                    // there): the cache holds each layout oneDNN needs once, and stops growing
                    long settled = prepared.weightCacheBytes();
                    assertTrue(settled <= cacheAtOne * 1.1, "weights in a second layout: " + settled + " vs " + cacheAtOne
                            + " bytes: " + duplicates(prepared.describeWeightCache()));
                    for (int n : new int[] {16, 3, 5}) {
                        exes.add(prepared.compile(Map.of(DdamfnGraph.INPUT, Ddamfn.inputShape(n))));
                    }
                    assertEquals(settled, prepared.weightCacheBytes(), () -> "the weight cache grew with the executables: "
                            + duplicates(prepared.describeWeightCache()));
                    System.out.printf("DDAMFN weight cache %.1f MiB (%.1f MiB at batch 1), store %.1f MiB, for %d executables%n",
                            prepared.weightCacheBytes() / 1048576.0, cacheAtOne / 1048576.0, store.byteSize() / 1048576.0, exes.size());
                } finally {
                    exes.forEach(Executable::close);
                }
            }
        }
    }

    private static List<String> duplicates(String cache) {
        Map<String, List<String>> byKey = new java.util.LinkedHashMap<>();
        cache.lines().forEach(l -> byKey.computeIfAbsent(l.substring(0, l.indexOf(' ')), k -> new ArrayList<>()).add(l));
        return byKey.values().stream().filter(v -> v.size() > 1).map(Object::toString).toList();
    }

    private static double millis(Runnable r) {
        for (int i = 0; i < 5; i++) {
            r.run();
        }
        int times = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / times;
    }
}
