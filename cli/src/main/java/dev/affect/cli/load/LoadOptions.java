package dev.affect.cli.load;

import dev.affect.client.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A load run, in ghz's terms.
 *
 * @param target host:port
 * @param call stream, predict or infer
 * @param concurrency workers (-c), each with one call in flight
 * @param total calls to make (-n); 0 = until {@code duration}
 * @param duration how long to start new calls (-z); zero = until {@code total}
 * @param rps the rate of new calls over all workers; 0 = as fast as the workers go
 * @param connections channels, used round-robin by call index
 * @param streamCallCount frames per stream call (stream and infer)
 * @param fps frames per second within one stream call; 0 = as fast as flow control allows
 * @param frames the folder of images (or, for infer, a normalised .npy)
 * @param pipeline the affect.v1 pipeline (stream, predict)
 * @param model the Open Inference Protocol model (infer)
 * @param inputName the OIP input tensor's name (infer)
 * @param tasks the tasks wanted (stream, predict); empty = all
 * @param timeout each call's deadline (a stream call's is this plus its frames' share of time at {@code fps})
 * @param grace how long calls in flight at the end of {@code duration} may take before the run is cut
 */
public record LoadOptions(String target, String call, int concurrency, long total, Duration duration, double rps,
        int connections, int streamCallCount, double fps, Path frames, String pipeline, String model, String inputName,
        Set<Task> tasks, Duration timeout, Duration grace, String format) {

    /** The deadline of one call. */
    public Duration callTimeout() {
        if (!call.equals("predict") && fps > 0) {
            return timeout.plusNanos((long) (streamCallCount / fps * 1e9));
        }
        return timeout;
    }

    /** The flags as the report's {@code options} echoes them (ghz's option names where it has them). */
    public Map<String, Object> echo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", target);
        m.put("call", call);
        m.put("concurrency", concurrency);
        m.put("total", total);
        m.put("duration", duration.toNanos());
        m.put("rps", rps);
        m.put("connections", connections);
        m.put("stream-call-count", streamCallCount);
        m.put("fps", fps);
        m.put("frames", frames.toString());
        m.put("pipeline", pipeline);
        m.put("model", model);
        m.put("tasks", tasks.stream().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList());
        m.put("timeout", timeout.toNanos());
        m.put("format", format);
        return m;
    }

    static List<Task> sortedTasks(Set<Task> tasks) {
        return tasks.stream().sorted().toList();
    }

    /** The same load for {@code d} (no call count): the warm-up run whose figures are thrown away. */
    public LoadOptions warmup(Duration d) {
        return new LoadOptions(target, call, concurrency, 0, d, rps, connections, streamCallCount, fps, frames, pipeline,
                model, inputName, tasks, timeout, grace, format);
    }
}
