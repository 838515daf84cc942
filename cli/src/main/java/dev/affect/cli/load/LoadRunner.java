package dev.affect.cli.load;

import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.FrameStream;
import dev.affect.client.PredictOptions;
import dev.affect.client.StreamListener;
import dev.affect.client.StreamOptions;
import dev.affect.client.StreamResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a load: {@code concurrency} workers take call tickets until {@code total} calls were started
 * or {@code duration} passed, paced by {@code rps}. Bounded twice over: every call has a deadline,
 * and the run as a whole is cut at a hard wall-clock cap (duration + grace, or, with only a count,
 * the calls' deadlines one after another per worker + grace); whatever is still running then is
 * cancelled and not counted.
 */
public final class LoadRunner {
    private final LoadOptions options;
    private final FrameSource images;
    private final List<float[]> tensors;
    private final LoadReport report = new LoadReport();
    private final AtomicLong tickets = new AtomicLong();
    private final List<AffectClient> clients = new ArrayList<>();
    private volatile long endOfStartsNanos;

    /** {@code images} for stream and predict, {@code tensors} for infer. */
    public LoadRunner(LoadOptions options, FrameSource images, List<float[]> tensors) {
        this.options = options;
        this.images = images;
        this.tensors = tensors;
    }

    /** Runs to the end and returns what it measured. */
    public LoadReport run() throws InterruptedException {
        for (int i = 0; i < options.connections(); i++) {
            clients.add(AffectClient.builder().target(options.target()).defaultTimeout(options.callTimeout()).build());
        }
        long total = options.total();
        if (total == 0 && options.duration().isZero()) {
            total = 200; // ghz's default
        }
        final long calls = total;
        long start = System.nanoTime();
        endOfStartsNanos = options.duration().isZero() ? Long.MAX_VALUE : start + options.duration().toNanos();
        long capNanos;
        if (!options.duration().isZero()) {
            capNanos = options.duration().plus(options.grace()).toNanos();
        } else {
            long rounds = (calls + options.concurrency() - 1) / options.concurrency();
            long paced = options.rps() > 0 ? (long) (calls / options.rps() * 1e9) : 0;
            capNanos = Math.min(Long.MAX_VALUE / 4,
                    paced + rounds * options.callTimeout().toNanos() + options.grace().toNanos());
        }
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < options.concurrency(); w++) {
            workers.add(Thread.ofVirtual().name("load-", w).start(() -> work(calls, start)));
        }
        long capAt = start + capNanos;
        for (Thread t : workers) {
            long left = capAt - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
        }
        report.freeze(System.nanoTime() - start);
        for (AffectClient c : clients) {
            c.channel().shutdownNow(); // cancels whatever the cap cut off
        }
        for (Thread t : workers) {
            t.interrupt();
            t.join(Duration.ofSeconds(2));
        }
        for (AffectClient c : clients) {
            c.channel().awaitTermination(2, TimeUnit.SECONDS);
        }
        return report;
    }

    private boolean startsOver() {
        return System.nanoTime() >= endOfStartsNanos;
    }

    private void work(long calls, long start) {
        while (!startsOver() && !Thread.currentThread().isInterrupted()) {
            long i = tickets.getAndIncrement();
            if (calls > 0 && i >= calls) {
                return;
            }
            if (options.rps() > 0) {
                long slot = start + (long) (i / options.rps() * 1e9);
                if (slot >= endOfStartsNanos) {
                    return;
                }
                sleepUntil(slot);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            AffectClient client = clients.get((int) (i % clients.size()));
            try {
                switch (options.call()) {
                    case "stream" -> stream(client, i);
                    case "predict" -> predict(client, i);
                    case "infer" -> OipStreamInfer.call(client.channel(), options, tensors, i, this::startsOver, report);
                    default -> throw new IllegalStateException("unknown call " + options.call());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void predict(AffectClient client, long i) {
        long t0 = System.nanoTime();
        try {
            client.predict(List.of(images.image(i)), PredictOptions.defaults().withModel(options.pipeline())
                    .withTasks(options.tasks()).withTimeout(options.callTimeout()));
            long lat = System.nanoTime() - t0;
            report.call(lat, "OK", null);
            report.frame(lat, null);
        } catch (AffectClientException e) {
            report.call(System.nanoTime() - t0, e.code().name(), e.getMessage());
        }
    }

    private void stream(AffectClient client, long i) throws InterruptedException {
        int count = options.streamCallCount();
        long t0 = System.nanoTime();
        StreamOptions so = StreamOptions.pipeline(options.pipeline()).withTasks(options.tasks())
                .withTimeout(options.callTimeout());
        FrameStream stream = client.openStream(so, new StreamListener() {
            @Override
            public void onResult(StreamResult r) {
                report.frame(r.latencyNanos(), r.isError() ? "code " + r.errorCode() + ": " + r.errorMessage() : null);
            }
        });
        try {
            long period = options.fps() > 0 ? (long) (1e9 / options.fps()) : 0;
            for (int k = 0; k < count && !startsOver(); k++) {
                if (period > 0) {
                    sleepUntil(t0 + k * period);
                }
                long now = System.nanoTime();
                stream.send(images.image(i * count + k), k, (now - t0) / 1000);
            }
            stream.end();
            if (!stream.awaitCompletion(options.callTimeout().plusSeconds(5))) {
                stream.close();
                report.call(System.nanoTime() - t0, "DEADLINE_EXCEEDED", "DEADLINE_EXCEEDED: no end of stream in time");
                return;
            }
            report.call(System.nanoTime() - t0, "OK", null);
        } catch (AffectClientException e) {
            report.call(System.nanoTime() - t0, e.code().name(), e.getMessage());
        } catch (IllegalStateException e) {
            // the server completed the stream before we had sent every frame
            report.call(System.nanoTime() - t0, "OK", null);
        } finally {
            stream.close();
        }
    }

    static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
        }
    }
}
