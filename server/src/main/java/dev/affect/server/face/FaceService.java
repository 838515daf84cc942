package dev.affect.server.face;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.server.schedule.DecodeBudget;
import dev.affect.server.schedule.FrameJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The server's face detector: RetinaFace + alignment ({@link FaceFinder}) on a pool of its own
 * threads, one finder per thread (a detector runs one image at a time), so detection never holds a
 * gRPC or device thread. Streams order their frames through {@link SessionFaces}.
 */
public final class FaceService implements AutoCloseable {
    private final Path weights;
    private final DetectionConfig config;
    private final BlockingQueue<FaceFinder> finders;
    private final List<FaceFinder> all = new ArrayList<>();
    private final ExecutorService threads;
    private final AtomicInteger tracksHeld = new AtomicInteger();
    private final ThreadLocal<FacePreprocessor> decoders = ThreadLocal.withInitial(
            () -> new FacePreprocessor(ImageDecoder.best(), Long.MAX_VALUE));

    private FaceService(Path weights, DetectionConfig config, List<FaceFinder> finders) {
        this.weights = weights;
        this.config = config;
        this.finders = new ArrayBlockingQueue<>(finders.size(), false, finders);
        this.all.addAll(finders);
        this.threads = Executors.newFixedThreadPool(finders.size(),
                Thread.ofPlatform().name("affect-face-", 0).daemon(true).factory());
    }

    /**
     * Loads {@code weights} ({@code .pth} or {@code .safetensors}) once per thread onto {@code backend}
     * (which stays the caller's and must outlive the service).
     */
    public static FaceService load(Path weights, Backend backend, DetectionConfig config, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        List<FaceFinder> finders = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                finders.add(FaceFinder.load(weights, backend, config));
            }
        } catch (IOException | RuntimeException e) {
            finders.forEach(FaceFinder::close);
            throw e;
        }
        return new FaceService(weights, config, finders);
    }

    public Path weights() {
        return weights;
    }

    public DetectionConfig config() {
        return config;
    }

    /** The pool detection runs on. */
    public ExecutorService executor() {
        return threads;
    }

    /**
     * Decodes a whole camera frame within the server's pixel limits: the per-frame one, and the
     * server-wide budget of pixels being decoded at once (held only while it decodes).
     */
    public RgbImage decode(FrameJob.Image image, String field, DecodeBudget budget) {
        try (DecodeBudget.Lease lease = budget.reserve(image.dimensions(), field)) {
            return decoders.get().decode(image.encoded(), image.dimensions(), field);
        }
    }

    /** Runs {@code use} with a finder of its own (waiting for one when all are busy). */
    public <T> T withFinder(Function<FaceFinder, T> use) {
        FaceFinder f;
        try {
            f = finders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a face detector", e);
        }
        try {
            return use.apply(f);
        } finally {
            finders.add(f);
        }
    }

    /** Every-face track states held now, across sessions (each frees its native state when its track ends). */
    public int tracksHeld() {
        return tracksHeld.get();
    }

    /** Counts a track state created by {@code create}. */
    <T> T trackStarted(java.util.function.Supplier<T> create) {
        T state = create.get();
        tracksHeld.incrementAndGet();
        return state;
    }

    /** A track state counted by {@link #trackStarted} was freed. */
    void trackFreed() {
        tracksHeld.decrementAndGet();
    }

    /** Lets detections already queued finish (a few seconds at most), then frees the detectors. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        all.forEach(FaceFinder::close);
    }
}
