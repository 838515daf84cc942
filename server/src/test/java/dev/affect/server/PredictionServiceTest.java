package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.NpyReader;
import dev.affect.server.schedule.FrameInput;
import dev.affect.server.schedule.ModelNotFoundException;
import dev.affect.server.schedule.ModelRegistry;
import dev.affect.server.schedule.Prediction;
import dev.affect.server.schedule.PredictionLimits;
import dev.affect.server.schedule.PredictionRequest;
import dev.affect.server.schedule.PredictionService;
import dev.affect.server.schedule.QueueFullException;
import dev.affect.server.schedule.RequestCancelledException;
import dev.affect.server.schedule.ServerUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The application side of Predict: bounded queue, cancellation, batching in passes. */
class PredictionServiceTest {
    static ModelRegistry registry;
    static FrameInput faceA;
    static FrameInput faceC;

    @BeforeAll
    static void load() throws IOException {
        registry = Fixtures.registry();
        faceA = new FrameInput.Normalized(NpyReader.read(Fixtures.reference("face_a.npy")).toFloatArray());
        faceC = new FrameInput.EncodedImage(Fixtures.bytes("face_c.png"));
    }

    @AfterAll
    static void close() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aFullQueueRefusesInsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        PredictionService service = new PredictionService(registry, new PredictionLimits(64, 16, 1, 1));
        try {
            PredictionRequest request = new PredictionRequest("", List.of(faceA), false);
            // the first request holds the only worker (its cancellation check blocks), the second waits
            CompletableFuture<Prediction> first = service.submit(request, () -> {
                started.countDown();
                awaitQuietly(release);
                return false;
            });
            started.await(10, TimeUnit.SECONDS);
            CompletableFuture<Prediction> second = service.submit(request, () -> false);
            assertThrows(QueueFullException.class, () -> service.submit(request, () -> false));
            release.countDown();
            assertEquals(1, first.get(60, TimeUnit.SECONDS).frames().size());
            assertEquals(1, second.get(60, TimeUnit.SECONDS).frames().size());
        } finally {
            release.countDown();
            service.close();
        }
        assertThrows(ServerUnavailableException.class,
                () -> service.submit(new PredictionRequest("", List.of(faceA), false), () -> false));
    }

    @Test
    void cancelledRequestsAreAbandoned() {
        try (PredictionService service = new PredictionService(registry, PredictionLimits.defaults())) {
            CompletableFuture<Prediction> f = service.submit(new PredictionRequest("", List.of(faceA), false), () -> true);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(RequestCancelledException.class, e.getCause());
        }
    }

    @Test
    void cheapChecksThrowOnTheCallersThread() {
        try (PredictionService service = new PredictionService(registry, new PredictionLimits(2, 16, 1, 4))) {
            InvalidInputException none = assertThrows(InvalidInputException.class,
                    () -> service.submit(new PredictionRequest("", List.of(), false), () -> false));
            assertEquals("frames", none.field());
            InvalidInputException tooMany = assertThrows(InvalidInputException.class,
                    () -> service.submit(new PredictionRequest("", List.of(faceA, faceA, faceA), false), () -> false));
            assertEquals("frames", tooMany.field());
            assertThrows(ModelNotFoundException.class,
                    () -> service.submit(new PredictionRequest("other", List.of(faceA), false), () -> false));
        }
    }

    @Test
    void badFramesAndModelNamesAreInvalidInputNamingTheField() {
        assertEquals("normalized", assertThrows(InvalidInputException.class, () -> new FrameInput.Normalized(new float[3])).field());
        assertEquals("model", assertThrows(InvalidInputException.class, () -> ModelRegistry.checkName("bad name!")).field());
        assertEquals("--model-name",
                assertThrows(InvalidInputException.class, () -> ModelRegistry.checkName("", "--model-name")).field());
    }

    @Test
    void severalPassesEqualOneBatch() throws Exception {
        List<FrameInput> frames = new ArrayList<>(List.of(faceA, faceC, faceA, faceC, faceA));
        try (PredictionService passesOfTwo = new PredictionService(registry, new PredictionLimits(64, 2, 1, 4));
                PredictionService onePass = new PredictionService(registry, new PredictionLimits(64, 16, 1, 4))) {
            Prediction a = passesOfTwo.submit(new PredictionRequest("ddamfn", frames, true), () -> false).get(60, TimeUnit.SECONDS);
            Prediction b = onePass.submit(new PredictionRequest("ddamfn", frames, true), () -> false).get(60, TimeUnit.SECONDS);
            assertEquals(5, a.frames().size());
            for (int i = 0; i < frames.size(); i++) {
                Fixtures.assertClose(a.frames().get(i).logits(), b.frames().get(i).logits());
                Fixtures.assertClose(a.frames().get(i).embedding(), b.frames().get(i).embedding());
                Fixtures.assertClose(a.frames().get(i).logits(), a.frames().get(i % 2).logits());
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
