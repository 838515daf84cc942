package dev.affect.engine.model.heads;

import static dev.affect.engine.model.heads.HeadTesting.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Heads shared by several threads (each with its own sequences) give what one thread gives; lifecycle and misuse. */
class HeadConcurrencyTest {
    static final int D = 32;
    static final int THREADS = 4;
    static final int T = 9;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void threadsSharingHeadsGetTheSingleThreadedValues(String backendName) throws Exception {
        Random rng = new Random(21);
        List<Tensor> clips = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            clips.add(HeadTesting.gaussian(rng, 1f, T, D));
        }
        try (Backend backend = HeadTesting.open(backendName);
             FcHead fc = FcHead.load(HeadTesting.randomHead(rng, false, "expr", D, 0, 16, 8), backend);
             LstmHead lstm = LstmHead.load(HeadTesting.randomHead(rng, true, "va", D, 10, 16, 2), backend);
             TensorScope scope = new TensorScope()) {
            List<Tensor[]> expected = new ArrayList<>();
            for (Tensor clip : clips) {
                Tensor a = Tensor.zeros(Shape.of(T, 8));
                Tensor b = Tensor.zeros(Shape.of(T, 2));
                fc.forward(clip, a);
                lstm.sequence(clip, lstm.newState(scope), b);
                expected.add(new Tensor[] {a, b});
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    int id = i;
                    done.add(pool.submit(() -> {
                        for (int round = 0; round < 20; round++) {
                            Tensor a = Tensor.zeros(Shape.of(T, 8));
                            fc.forward(clips.get(id), a);
                            assertClose(a, expected.get(id)[0], 0, 0, "fc thread " + id);
                            HeadState s = lstm.newState(scope);
                            Tensor b = Tensor.zeros(Shape.of(T, 2));
                            if (round % 2 == 0) {
                                lstm.sequence(clips.get(id), s, b);
                            } else {
                                for (int t = 0; t < T; t++) {
                                    lstm.step(clips.get(id).slice(t, t + 1), List.of(s), b.slice(t, t + 1));
                                }
                            }
                            assertClose(b, expected.get(id)[1], 1e-6, 1e-5, "lstm thread " + id + " round " + round);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.affect.engine.model.heads.HeadTesting#backends")
    void misuseIsReported(String backendName) {
        Random rng = new Random(22);
        try (Backend backend = HeadTesting.open(backendName); TensorScope scope = new TensorScope()) {
            LstmHead a = LstmHead.load(HeadTesting.randomHead(rng, true, "au", D, 4, 8, 12), backend);
            LstmHead b = LstmHead.load(HeadTesting.randomHead(rng, true, "au", D, 4, 8, 12), backend);
            Tensor x = HeadTesting.gaussian(rng, 1f, 2, D);
            Tensor out = Tensor.zeros(Shape.of(2, 12));
            HeadState sa = a.newState(scope);
            HeadState sb = b.newState(scope);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.step(x, List.of(sa, sb), out)).getMessage()
                    .startsWith("states[1]: a state of another head"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.sequence(x, sb, out)).getMessage().startsWith("state:"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.step(x, List.of(sa), out)).getMessage().startsWith("states:"));
            // bad tensors are bad input, naming the tensor
            assertEquals("out", assertThrows(InvalidInputException.class,
                    () -> a.sequence(x, sa, Tensor.zeros(Shape.of(2, 11)))).field());
            assertEquals("embeddings", assertThrows(InvalidInputException.class,
                    () -> a.sequence(Tensor.zeros(Shape.of(2, D + 1)), sa, out)).field());
            assertEquals("lstm.weight_ih_l0", assertThrows(InvalidInputException.class,
                    () -> FcHead.load(HeadTesting.randomHead(rng, true, "va", D, 4, 8, 2), backend)).field());
            assertEquals("lstm.weight_ih_l0", assertThrows(InvalidInputException.class,
                    () -> LstmHead.load(HeadTesting.randomHead(rng, false, "va", D, 4, 8, 2), backend)).field());
            a.close();
            a.close();
            b.close();
            assertThrows(IllegalStateException.class, () -> a.sequence(x, sa, out));
        }
    }
}
