package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.graph.passes.InferencePasses;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnMode;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real DDAMFN (the shared fixture checkpoint) through the inference passes on the cpu backend:
 * the authors' logits, no step on oneDNN's reference kernels, and a weight cache that does not grow
 * with the number of executables (batch sizes) compiled from one prepared model.
 */
class CpuDdamfnTest {

    @Test
    void fusedDdamfnMatchesTheAuthorsAndSharesWeightsAcrossBatchSizes() throws IOException {
        RequiredBackend.require("cpu");
        Path checkpoint = SharedFixtures.reference("ddamfn_8_class.pth");
        Assumptions.assumeTrue(Files.exists(checkpoint), "fixture missing: " + checkpoint);
        StateDict read = CheckpointFiles.read(checkpoint);
        StateDict sd = read.allHavePrefix("module.") ? read.stripPrefix("module.") : read;
        DdamfnConfig cfg = DdamfnConfig.infer(sd.names(), sd.get("fc.weight").shape().dim(0));
        Graph graph = DdamfnNetwork.build(cfg, DdamfnMode.INFERENCE).withOutputs(DdamfnNetwork.servingOutputs());
        try (ParameterStore store = new ParameterStore();
             Backend cpu = Backends.open("cpu", new BackendOptions(1))) { // one thread: robust to a busy machine
            for (Value p : graph.parameters()) {
                store.put(p.name(), sd.get(p.name()));
            }
            Graph fused = InferencePasses.apply(graph, store);
            try (var prepared = (CpuPreparedModel) cpu.prepare(fused, store)) {
                List<Executable> exes = new ArrayList<>();
                try {
                    Executable one = prepared.compile(Map.of(DdamfnNetwork.INPUT, DdamfnNetwork.inputShape(1)));
                    exes.add(one);
                    long atOne = prepared.weightCacheBytes();
                    for (String line : one.describe().split("\n")) {
                        assertTrue(!line.contains(" -> ref"), "a step on oneDNN's reference kernel: " + line);
                    }
                    Tensor input = NpyReader.read(SharedFixtures.reference("input.npy"));
                    try (ExecutionContext c = one.newContext()) {
                        Map<String, Tensor> out = c.run(Map.of(DdamfnNetwork.INPUT, input.slice(0, 1)));
                        double err = Tensors.relativeError(out.get(DdamfnNetwork.LOGITS),
                                NpyReader.read(SharedFixtures.reference("logits_b1.npy")));
                        assertTrue(err < 1e-4, "logits: relative error " + err);
                        System.out.printf("cpu DDAMFN fused: logits rel %.2e, %.2f ms/frame at batch 1 on one thread, %d steps%n",
                                err, millis(c::execute), one.describe().lines().filter(l -> l.contains(" -> ")).count());
                    }
                    for (int n : new int[] {2, 4, 8}) {
                        exes.add(prepared.compile(Map.of(DdamfnNetwork.INPUT, DdamfnNetwork.inputShape(n))));
                    }
                    // a few 1x1 convolutions may want a second layout past batch 1 (where the first has only a
                    // ref kernel); the cache holds each layout oneDNN needs once and then stops growing
                    long settled = prepared.weightCacheBytes();
                    assertTrue(settled <= atOne * 1.1, "weights in a second layout: " + settled + " vs " + atOne + " bytes");
                    for (int n : new int[] {16, 3, 5}) {
                        exes.add(prepared.compile(Map.of(DdamfnNetwork.INPUT, DdamfnNetwork.inputShape(n))));
                    }
                    assertEquals(settled, prepared.weightCacheBytes(), () -> "the weight cache grew with the executables: "
                            + duplicates(prepared.describeWeightCache()));
                    System.out.printf("cpu DDAMFN weight cache %.1f MiB (%.1f MiB at batch 1), store %.1f MiB, %d executables%n",
                            settled / 1048576.0, atOne / 1048576.0, store.byteSize() / 1048576.0, exes.size());
                } finally {
                    exes.forEach(Executable::close);
                }
            }
        }
    }

    private static List<String> duplicates(String cache) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        cache.lines().forEach(l -> byKey.computeIfAbsent(l.substring(0, l.indexOf(' ')), k -> new ArrayList<>()).add(l));
        return byKey.values().stream().filter(v -> v.size() > 1).map(Object::toString).toList();
    }

    private static double millis(Runnable r) {
        for (int i = 0; i < 30; i++) {
            r.run();
        }
        int times = 30;
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / times;
    }
}
