package dev.affect.cli.benchtrain;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code affect bench --train}: times affect's training steps through the engine's training API on
 * one backend, then the PyTorch peer on the same workloads with the same thread count, and prints
 * both with their ratio. The machine is shared and noisy: only the ratio of one run means anything.
 */
public final class TrainBench {
    private static final long SEED = 1;

    /** Makes a workload ready to step; UnsupportedOperationException when the backend cannot train it. */
    @FunctionalInterface
    interface WorkloadFactory {
        Workload create() throws IOException;
    }

    private final TrainBenchSettings settings;
    private final Backend backend;
    private final PrintWriter err;

    public TrainBench(TrainBenchSettings settings, Backend backend, PrintWriter err) {
        this.settings = settings;
        this.backend = backend;
        this.err = err;
    }

    /** scripts/peer/train_bench.py of this checkout, or null when it is not found. */
    public static java.nio.file.Path peerScript() {
        return TorchPeer.locate();
    }

    /** Runs both sides and prints the table (unless {@code jsonOnly}) and the JSON summary on {@code out}. */
    public void run(boolean jsonOnly, PrintWriter out) throws IOException, InterruptedException {
        List<Measured> ours = measureAffect();
        TorchPeer.Result peer = TorchPeer.run(settings);
        if (!peer.available()) {
            err.println("affect bench --train: no PyTorch figures: " + peer.unavailable());
            err.flush();
        }
        TrainBenchReport report = new TrainBenchReport(settings.threads(), backend.description(), ours, peer);
        if (!jsonOnly) {
            report.printTable(out);
        }
        out.println(report.json());
        out.flush();
    }

    List<Measured> measureAffect() throws IOException {
        List<Measured> ours = new ArrayList<>();
        if (settings.workloads().contains(TrainBenchSettings.HEADS)) {
            for (String kind : settings.kinds()) {
                for (Task task : settings.tasks()) {
                    ours.add(measure(WorkloadKey.head(kind, task.key()), () -> HeadWorkload.create(kind, task,
                            settings.windows(), settings.window(), backend, SEED), settings.warmup(), settings.steps()));
                }
            }
        }
        if (settings.workloads().contains(TrainBenchSettings.DDAMFN)) {
            ours.add(measure(WorkloadKey.ddamfn(), () -> DdamfnWorkload.create(settings.checkpoint(), settings.ddamfnBatch(),
                    backend, SEED), settings.ddamfnWarmup(), settings.ddamfnSteps()));
        }
        return ours;
    }

    private Measured measure(WorkloadKey key, WorkloadFactory factory, int warmup, int steps) throws IOException {
        try (Workload w = factory.create()) {
            return Measured.of(key, StepFigures.time(w::step, warmup, steps, w.framesPerStep()));
        } catch (UnsupportedOperationException e) {
            // a backend without some backward op yet: say so and go on with the others and the peer
            err.println("affect bench --train: " + backend.name() + " cannot train " + key.label() + " yet: " + e.getMessage());
            err.flush();
            return Measured.failed(key, e.getMessage());
        }
    }
}
