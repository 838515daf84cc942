package dev.affect.cli.benchtrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * PyTorch's side: runs scripts/peer/train_bench.py with the same workloads, sizes, steps and thread
 * count in a separate process (after affect's, so each has the machine to itself) and reads its
 * JSON lines. A missing interpreter, script or torch is not an error of the benchmark: the result
 * then says in one line why there is no peer.
 */
final class TorchPeer {
    /** train_bench.py's exit status when its interpreter has no torch. */
    static final int NO_TORCH = 3;
    static final String SCRIPT = "scripts/peer/train_bench.py";

    /** The peer's rows, or why there are none. */
    record Result(List<JsonNode> rows, String unavailable) {
        static Result missing(String why) {
            return new Result(List.of(), why);
        }

        boolean available() {
            return unavailable == null;
        }
    }

    private TorchPeer() {
    }

    static List<String> command(TrainBenchSettings s) {
        List<String> cmd = new ArrayList<>(List.of(s.python().toString(), s.peerScript().toString(),
                "--threads", String.valueOf(s.threads()),
                "--workloads", String.join(",", s.workloads()),
                "--heads", String.join(",", s.kinds()),
                "--tasks", s.tasks().stream().map(Task::key).collect(Collectors.joining(",")),
                "--windows", String.valueOf(s.windows()),
                "--window", String.valueOf(s.window()),
                "--ddamfn-batch", String.valueOf(s.ddamfnBatch()),
                "--steps", String.valueOf(s.steps()),
                "--ddamfn-steps", String.valueOf(s.ddamfnSteps()),
                "--warmup", String.valueOf(s.warmup())));
        if (s.checkpoint() != null) {
            cmd.add("--checkpoint");
            cmd.add(s.checkpoint().toString());
        }
        return cmd;
    }

    static Result run(TrainBenchSettings s) throws InterruptedException {
        if (s.peerScript() == null) {
            return Result.missing("the PyTorch peer " + SCRIPT + " was not found (give --peer-script)");
        }
        if (!Files.isExecutable(s.python())) {
            return Result.missing(s.python() + " is not an executable Python (give --python)");
        }
        Process p;
        try {
            p = new ProcessBuilder(command(s)).start();
        } catch (IOException e) {
            return Result.missing("cannot start " + s.python() + ": " + e.getMessage());
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        int code = p.waitFor();
        String stderr = err.join().strip();
        if (code != 0) {
            String last = stderr.isEmpty() ? "" : stderr.substring(stderr.lastIndexOf('\n') + 1);
            return Result.missing(code == NO_TORCH ? last : "the PyTorch peer failed (exit " + code + "): " + last);
        }
        try {
            return new Result(parse(out), null);
        } catch (JsonProcessingException e) {
            return Result.missing("the PyTorch peer printed a line that is not JSON: " + e.getOriginalMessage());
        }
    }

    static List<JsonNode> parse(String out) throws JsonProcessingException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        return rows;
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the peer script is: under the current directory, else above the code's own location
     * (scripts/affect runs from a checkout, with classes or jars under &lt;module&gt;/target).
     */
    static Path locate() {
        Path here = Path.of(SCRIPT).toAbsolutePath();
        if (Files.isRegularFile(here)) {
            return here;
        }
        var source = TorchPeer.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return null;
        }
        try {
            for (Path p = Path.of(source.getLocation().toURI()); p != null; p = p.getParent()) {
                Path candidate = p.resolve(SCRIPT);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null; // not a file location (a jar inside an image): no checkout around it
        }
        return null;
    }
}
