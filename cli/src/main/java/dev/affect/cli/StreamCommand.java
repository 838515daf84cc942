package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.load.FrameSource;
import dev.affect.client.Affect;
import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.FrameStream;
import dev.affect.client.DetectedFace;
import dev.affect.client.FaceMode;
import dev.affect.client.StreamOptions;
import dev.affect.client.StreamResult;
import dev.affect.client.Task;
import dev.affect.engine.InvalidInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Streams a folder of face crops as one video session and prints each frame's result as it comes. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Stream a folder's images (.jpg/.jpeg/.png, name order) to a running affect server as one video session.")
final class StreamCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, description = "The server: host:port.")
    String target;

    @Option(names = "--pipeline", defaultValue = "", description = "A pipeline name; the server's default when left out.")
    String pipeline;

    @Option(names = "--frames", required = true,
            description = "A folder of .jpg/.jpeg/.png face crops or camera frames, sent in name order.")
    Path frames;

    @Option(names = "--fps", defaultValue = "30", description = "Frames per second; 0 = as fast as flow control allows; default: ${DEFAULT-VALUE}.")
    double fps;

    @Option(names = "--tasks", split = ",", description = "Tasks wanted: va, expr, au; all the pipeline has when left out.")
    List<String> tasks;

    @Option(names = "--resume", defaultValue = "", description = "Continue this session id instead of opening a new session.")
    String resume;

    @Option(names = "--json", description = "One JSON object per line (each result, then the summary).")
    boolean json;

    @Option(names = "--face", defaultValue = "auto", description = "auto (find the face in frames that are not 112x112"
            + " when the server has a detector), none (frames are face crops) or detect (frames are camera frames);"
            + " default: ${DEFAULT-VALUE}.")
    String face;

    @Option(names = "--every-face", description = "Follow every face of a camera frame, each under its own track with its"
            + " own state; one line (or JSON object) per face.")
    boolean everyFace;

    @Option(names = "--max-faces", defaultValue = "0", description = "With --every-face: the most faces of a frame"
            + " followed (the highest-scored); 0 = the server's maximum; default: ${DEFAULT-VALUE}.")
    int maxFaces;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        if (target.isBlank()) {
            throw new InvalidInputException("--target", "empty; expected host:port");
        }
        if (!(fps >= 0) || fps > 10_000) {
            throw new InvalidInputException("--fps", "must be in [0, 10000], got " + fps);
        }
        Set<Task> wanted = EnumSet.noneOf(Task.class);
        if (tasks != null) {
            for (String t : tasks) {
                try {
                    wanted.add(Task.parse(t));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--tasks", e.getMessage());
                }
            }
        }
        if (maxFaces < 0) {
            throw new InvalidInputException("--max-faces", "must be >= 0, got " + maxFaces);
        }
        FaceMode mode = switch (face.toLowerCase(Locale.ROOT)) {
            case "auto" -> FaceMode.AUTO;
            case "none" -> FaceMode.NONE;
            case "detect" -> FaceMode.DETECT;
            default -> throw new InvalidInputException("--face", "auto, none or detect, got '" + face + "'");
        };
        FrameSource source = FrameSource.folder("--frames", frames);
        PrintWriter out = spec.commandLine().getOut();
        try (AffectClient client = connect()) {
            FrameStream stream = client.openStream(StreamOptions.pipeline(pipeline).withTasks(wanted).withResume(resume)
                    .withFace(mode).withEveryFace(everyFace).withMaxFaces(maxFaces));
            try {
                return run(stream, source, out);
            } finally {
                stream.close();
            }
        } catch (AffectClientException e) {
            spec.commandLine().getErr().println("affect stream: " + (e.isUnreachable() ? "cannot reach " : "") + target
                    + ": " + UserErrors.oneLine(e));
            return e.isServerError() ? UserErrors.INTERNAL : UserErrors.BAD_INPUT;
        }
    }

    private int run(FrameStream stream, FrameSource source, PrintWriter out) throws Exception {
        int n = source.size();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread sender = Thread.ofVirtual().name("stream-sender").start(() -> {
            long period = fps > 0 ? (long) (1e9 / fps) : 0;
            try {
                for (int i = 0; i < n; i++) {
                    if (period > 0) {
                        long wait;
                        while ((wait = t0 + i * period - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    long ts = period > 0 ? i * period / 1000 : (System.nanoTime() - t0) / 1000;
                    stream.send(source.image(i), i, ts);
                }
                stream.end();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                sendFailure.set(e); // the stream failed: the receiving side reports it
            }
        });
        long[] latencies = new long[n];
        int answered = 0;
        int errors = 0;
        try {
            Iterator<StreamResult> results = stream.results();
            while (results.hasNext()) {
                StreamResult r = results.next();
                if (answered < n) {
                    latencies[answered] = r.latencyNanos();
                }
                answered++;
                if (r.isError()) {
                    errors++;
                }
                int index = (int) r.sequence();
                if (json) {
                    for (Map<String, Object> m : resultJson(r, source.file(index))) {
                        out.println(mapper.writeValueAsString(m));
                    }
                } else {
                    lines(r, source.file(index)).forEach(out::println);
                }
            }
        } finally {
            sender.interrupt();
            sender.join(Duration.ofSeconds(5));
        }
        long elapsed = System.nanoTime() - t0;
        long[] lats = Arrays.stream(latencies, 0, Math.min(answered, n)).filter(l -> l > 0).sorted().toArray();
        String sessionId = stream.sessionId();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("summary", true);
        summary.put("session", sessionId);
        summary.put("frames", answered);
        summary.put("errors", errors);
        summary.put("fps", answered / (elapsed / 1e9));
        summary.put("p50_ms", percentile(lats, 50) / 1e6);
        summary.put("p99_ms", percentile(lats, 99) / 1e6);
        if (json) {
            out.println(mapper.writeValueAsString(summary));
        } else {
            out.printf(Locale.ROOT, "summary: frames=%d errors=%d fps=%.1f p50=%.2fms p99=%.2fms session=%s%n", answered,
                    errors, answered / (elapsed / 1e9), percentile(lats, 50) / 1e6, percentile(lats, 99) / 1e6, sessionId);
        }
        out.flush();
        return 0;
    }

    private AffectClient connect() {
        try {
            return AffectClient.builder().target(target).build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--target", "'" + target + "': " + e.getMessage(), e);
        }
    }

    /**
     * {@code 0 face.jpg  va=+0.120,-0.340  expr=Happiness  aus=AU6,AU12  server=12.3ms} or the frame's error;
     * an every-face frame gives one such line per face, each with its {@code face=x1,y1,x2,y2 (score, track id)}.
     */
    static List<String> lines(StreamResult r, Path file) {
        if (r.isError() || r.noFace() || r.faces().isEmpty()) {
            return List.of(line(r, file));
        }
        List<String> out = new java.util.ArrayList<>(r.faces().size());
        for (StreamResult.FaceAffect f : r.faces()) {
            StringBuilder b = new StringBuilder().append(r.sequence()).append(' ').append(file.getFileName());
            appendFace(b, f.face());
            appendAffect(b, f.affect());
            out.add(b.append(String.format(Locale.ROOT, "  server=%.1fms", r.serverLatencyUs() / 1e3)).toString());
        }
        return out;
    }

    /** One frame's line: its values (and its face, when the server found it), its error, or {@code no face}. */
    static String line(StreamResult r, Path file) {
        StringBuilder b = new StringBuilder().append(r.sequence()).append(' ').append(file.getFileName());
        if (r.isError()) {
            return b.append("  error ").append(r.errorCode()).append(": ").append(r.errorMessage()).toString();
        }
        if (r.noFace()) {
            return b.append("  no face").append(String.format(Locale.ROOT, "  server=%.1fms", r.serverLatencyUs() / 1e3))
                    .toString();
        }
        if (r.face() != null) {
            appendFace(b, r.face());
        }
        appendAffect(b, r.affect());
        b.append(String.format(Locale.ROOT, "  server=%.1fms", r.serverLatencyUs() / 1e3));
        return b.toString();
    }

    private static void appendFace(StringBuilder b, DetectedFace face) {
        float[] box = face.box();
        b.append(String.format(Locale.ROOT, "  face=%.0f,%.0f,%.0f,%.0f (%.3f, track %d)", box[0], box[1], box[2], box[3],
                face.score(), face.trackId()));
    }

    private static void appendAffect(StringBuilder b, Affect a) {
        if (a.va() != null) {
            b.append(String.format(Locale.ROOT, "  va=%+.3f,%+.3f", a.va().valence(), a.va().arousal()));
        }
        if (a.expression() != null) {
            b.append("  expr=").append(a.expression().top());
        }
        if (a.actionUnits() != null) {
            b.append("  aus=").append(a.actionUnits().active().isEmpty() ? "-" : String.join(",", a.actionUnits().active()));
        }
    }

    /** One JSON object per frame, or per face of an every-face frame. */
    private static List<Map<String, Object>> resultJson(StreamResult r, Path file) {
        if (r.isError() || r.noFace() || r.faces().isEmpty()) {
            return List.of(resultJson(r, file, r.face(), r.affect()));
        }
        return r.faces().stream().map(f -> resultJson(r, file, f.face(), f.affect())).toList();
    }

    private static Map<String, Object> resultJson(StreamResult r, Path file, DetectedFace face, Affect a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", r.sequence());
        m.put("file", file.getFileName().toString());
        if (r.isError()) {
            m.put("error", Map.of("code", r.errorCode(), "message", r.errorMessage()));
        } else if (r.noFace()) {
            m.put("no_face", true);
        } else {
            if (face != null) {
                m.put("face", Map.of("box", face.box(), "score", face.score(), "landmarks", face.landmarks(),
                        "track_id", face.trackId()));
            }
            if (a.va() != null) {
                m.put("valence", a.va().valence());
                m.put("arousal", a.va().arousal());
            }
            if (a.expression() != null) {
                m.put("expression", a.expression().top());
            }
            if (a.actionUnits() != null) {
                m.put("active_aus", a.actionUnits().active());
            }
        }
        m.put("server_latency_us", r.serverLatencyUs());
        m.put("latency_us", r.latencyNanos() / 1000);
        return m;
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.clamp((long) Math.ceil(p / 100.0 * sorted.length) - 1, 0, sorted.length - 1)];
    }
}
