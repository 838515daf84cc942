package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GraphRuns.assertSame;
import static dev.affect.engine.backend.cpu.GraphRuns.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Workspace;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contexts placed on a shared {@link Workspace}: contexts of different executables, run one after
 * another on one workspace full of garbage, give bit for bit what contexts with memory of their own
 * give; a workspace that is too small, foreign or closed is refused, and one still in use is not freed.
 */
class CpuWorkspaceTest {

    @BeforeEach
    void needsCpu() {
        RequiredBackend.require("cpu");
    }

    /** p - x with p [1, C, 1, 1]: oneDNN adds x to zeros of the output shape first (a ZEROS value), then a conv. */
    static Graph zerosGraph(ParameterStore store, Random rng) {
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 4, 6, 5));
        store.put("p", gaussian(rng, 1f, 1, 4, 1, 1));
        Value d = g.add(new Binary(Binary.Kind.SUB), "sub", g.parameter("p", Shape.of(1, 4, 1, 1)), x);
        store.put("c.w", gaussian(rng, 0.3f, 8, 4, 3, 3));
        store.put("c.b", gaussian(rng, 0.1f, 8));
        Value c = g.add(new Conv2d(1, 1, 1, 1, 1, true), "c", d, g.parameter("c.w", Shape.of(8, 4, 3, 3)),
                g.parameter("c.b", Shape.of(8)));
        Value y = g.add(Activation.of(Activation.Kind.RELU), "relu", c);
        g.output("d", d);
        g.output("y", y);
        g.output("pooled", g.add(new Mean(2), "pool.h", g.add(new Mean(3), "pool.w", y)));
        return g.build();
    }

    private record Case(Executable exe, Map<String, Tensor> inputs) {
    }

    @Test
    void contextsOfDifferentExecutablesOnOneWorkspaceGiveWhatSeparateContextsGive() {
        Random rng = new Random(11);
        try (ParameterStore cnnStore = new ParameterStore(); ParameterStore zStore = new ParameterStore();
             Backend cpu = Backends.open("cpu");
             PreparedModel cnn = cpu.prepare(CpuExecutableTest.cnn(cnnStore, rng), cnnStore);
             PreparedModel z = cpu.prepare(zerosGraph(zStore, rng), zStore)) {
            List<Case> cases = new ArrayList<>();
            try {
                for (int n : new int[] {1, 4}) {
                    cases.add(new Case(cnn.compile(Map.of("x", Shape.of(n, 3, 17, 15))),
                            Map.of("x", gaussian(rng, 1f, n, 3, 17, 15))));
                    cases.add(new Case(z.compile(Map.of("x", Shape.of(n, 4, 6, 5))),
                            Map.of("x", gaussian(rng, 1f, n, 4, 6, 5))));
                }
                assertTrue(((CpuExecutable) cases.get(1).exe()).zeroRoots.length > 0, "the graph has a ZEROS value");
                List<Map<String, Tensor>> separate = new ArrayList<>();
                for (Case c : cases) {
                    try (ExecutionContext own = c.exe().newContext()) {
                        separate.add(own.run(c.inputs()));
                    }
                }
                long bytes = cases.stream().mapToLong(c -> c.exe().workspaceBytes()).max().orElseThrow();
                for (Case c : cases) {
                    CpuExecutable e = (CpuExecutable) c.exe();
                    assertTrue(e.workspaceBytes() >= e.blockBytes + e.scratchpadBytes, "block and scratchpad fit");
                }
                try (Workspace ws = cpu.newWorkspace(bytes)) {
                    assertTrue(ws.byteSize() >= bytes);
                    List<ExecutionContext> shared = new ArrayList<>();
                    try {
                        for (Case c : cases) {
                            shared.add(c.exe().newContext(ws));
                        }
                        int last = -1;
                        for (int round = 0; round < 3; round++) {
                            for (int k = 0; k < cases.size(); k++) {
                                // forwards, then backwards, then forwards
                                int i = round % 2 == 0 ? k : cases.size() - 1 - k;
                                if (i != last) {
                                    // what another context may leave behind: NaN everywhere
                                    ((CpuWorkspace) ws).segment().fill((byte) 0xFF);
                                }
                                assertSame(separate.get(i), shared.get(i).run(cases.get(i).inputs()), "round " + round + " case " + i);
                                last = i;
                            }
                        }
                    } finally {
                        shared.forEach(ExecutionContext::close);
                    }
                }
            } finally {
                cases.forEach(c -> c.exe().close());
            }
        }
    }

    @Test
    void aWorkspaceTooSmallForeignOrClosedIsRefused() {
        Random rng = new Random(12);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             Backend other = Backends.open("cpu"); Backend reference = Backends.open("reference");
             PreparedModel m = cpu.prepare(zerosGraph(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 4, 6, 5)))) {
            try (Workspace small = cpu.newWorkspace(e.workspaceBytes() - 64)) {
                IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class, () -> e.newContext(small));
                assertTrue(tooSmall.getMessage().contains("too small"), tooSmall.getMessage());
            }
            try (Workspace foreign = other.newWorkspace(e.workspaceBytes());
                 Workspace ref = reference.newWorkspace(e.workspaceBytes())) {
                assertThrows(IllegalArgumentException.class, () -> e.newContext(foreign));
                assertThrows(IllegalArgumentException.class, () -> e.newContext(ref));
            }
            Workspace closed = cpu.newWorkspace(e.workspaceBytes());
            closed.close();
            assertThrows(IllegalArgumentException.class, () -> e.newContext(closed));
            assertThrows(IllegalArgumentException.class, () -> e.newContext(null));
            assertThrows(IllegalArgumentException.class, () -> cpu.newWorkspace(-1));
        }
    }

    @Test
    void aWorkspaceIsNotFreedUnderItsContexts() {
        Random rng = new Random(13);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu");
             PreparedModel m = cpu.prepare(zerosGraph(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(1, 4, 6, 5)))) {
            Workspace ws = cpu.newWorkspace(e.workspaceBytes());
            ExecutionContext c = e.newContext(ws);
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 1, 4, 6, 5));
            Map<String, Tensor> before = c.run(in);
            assertThrows(IllegalStateException.class, ws::close);
            assertSame(before, c.run(in), "still usable after the refused close");
            c.close();
            ws.close();
            ws.close();
            assertThrows(IllegalArgumentException.class, () -> e.newContext(ws));
        }
    }

    @Test
    void theReferenceBackendChecksItsWorkspaceAndIgnoresIt() {
        Random rng = new Random(14);
        try (ParameterStore store = new ParameterStore(); Backend reference = Backends.open("reference");
             Backend cpu = Backends.open("cpu");
             PreparedModel m = reference.prepare(zerosGraph(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 4, 6, 5)))) {
            assertEquals(0, e.workspaceBytes());
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 2, 4, 6, 5));
            try (Workspace ws = reference.newWorkspace(0); ExecutionContext on = e.newContext(ws);
                 ExecutionContext own = e.newContext()) {
                assertSame(own.run(in), on.run(in), "reference on a workspace");
            }
            try (Workspace foreign = cpu.newWorkspace(64)) {
                assertThrows(IllegalArgumentException.class, () -> e.newContext(foreign));
            }
        }
    }
}
