package dev.affect.cli;

import dev.affect.cli.benchtrain.TrainBenchSettings;
import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options of {@code affect bench --train} (the training throughput benchmark against PyTorch). */
final class TrainBenchOptions {
    @Option(names = "--workloads", split = ",", description = "With --train: heads, ddamfn or both "
            + "(default: both with --checkpoint, else heads).")
    List<String> workloads;

    @Option(names = "--head-kinds", split = ",", defaultValue = "fc,lstm", description = "With --train: head kinds (default: ${DEFAULT-VALUE}).")
    List<String> kinds;

    @Option(names = "--tasks", split = ",", defaultValue = "va,expr,au", description = "With --train: head tasks (default: ${DEFAULT-VALUE}).")
    List<String> tasks;

    @Option(names = "--windows", defaultValue = "32", description = "With --train: windows per head step (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--window", defaultValue = "10", description = "With --train: frames per window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--ddamfn-batch", defaultValue = "32", description = "With --train: images per DDAMFN step (default: ${DEFAULT-VALUE}).")
    int ddamfnBatch;

    @Option(names = "--steps", defaultValue = "20", description = "With --train: timed steps per head workload (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--ddamfn-steps", defaultValue = "3", description = "With --train: timed DDAMFN steps (default: ${DEFAULT-VALUE}).")
    int ddamfnSteps;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "With --train: the Python with torch for the peer (default: ${DEFAULT-VALUE}, Debian's python3-torch).")
    Path python;

    @Option(names = "--peer-script", description = "With --train: the peer, scripts/peer/train_bench.py (default: found in the checkout).")
    Path peerScript;

    TrainBenchSettings settings(Path checkpoint, int warmup, int threads) {
        if (checkpoint != null && !Files.isRegularFile(checkpoint)) {
            throw new InvalidInputException("--checkpoint", "no such file: " + checkpoint);
        }
        if (peerScript != null && !Files.isRegularFile(peerScript)) {
            throw new InvalidInputException("--peer-script", "no such file: " + peerScript);
        }
        Set<String> chosen = workloads != null ? new LinkedHashSet<>(workloads)
                : checkpoint != null ? Set.of(TrainBenchSettings.HEADS, TrainBenchSettings.DDAMFN) : Set.of(TrainBenchSettings.HEADS);
        List<Task> parsed = tasks.stream().map(t -> Task.forKey(t.strip()).orElseThrow(() ->
                new InvalidInputException("--tasks", "unknown task '" + t + "'; known: va, expr, au"))).toList();
        return new TrainBenchSettings(chosen, kinds.stream().map(String::strip).toList(), parsed, windows, window, ddamfnBatch,
                steps, ddamfnSteps, warmup, threads, checkpoint, python,
                peerScript != null ? peerScript : dev.affect.cli.benchtrain.TrainBench.peerScript());
    }
}
