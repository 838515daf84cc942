package dev.affect.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.FaceBench;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.engine.model.retinaface.Preprocessing;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's side of {@code scripts/bench --model retinaface}: the same released RetinaFace
 * exported to ONNX (dynamic H and W) in place of the engine's network, inside the very same Java
 * steps ({@link FaceBench}: preprocess, network, postprocess, align), on the same frame. Prints one
 * JSON line with the same keys as {@code affect bench --model retinaface --json}.
 */
public final class OrtFaceBench {

    private OrtFaceBench() {
    }

    static BenchTool tool() {
        return new BenchTool("ort-face-bench", """
                ONNX Runtime's side of scripts/bench --model retinaface: detection + alignment of one frame per
                iteration, the network run by ONNX Runtime, everything else by the same Java as affect's side.
                Prints one JSON line with the same keys as `affect bench --model retinaface --json`.""", List.of(
                BenchOption.of("onnx", "FILE", FaceCompareMain.DEFAULT_ONNX, "The RetinaFace ONNX model (input 'input'"
                        + " [1,3,H,W]; outputs loc, conf, landms)."),
                BenchOption.of("size", "WxH", "640x480", "The frame."),
                BenchOption.of("image", "FILE", "", "A photo letterboxed into the frame; \"\" for a synthetic frame."),
                BenchOption.of("iterations", "N", "30", "Timed frames, after the warm-up."),
                BenchOption.of("warmup", "N", "5", "Untimed frames first."),
                OrtPeer.threadsOption()));
    }

    public static void main(String[] args) throws Exception {
        System.exit(tool().run(args, System.out, System.err, OrtFaceBench::measure));
    }

    static void measure(Args a, PrintStream out) throws Exception {
        Path model = Path.of(a.get("onnx"));
        int[] size = FaceCompareMain.size(a);
        Path image = FaceCompareMain.image(a);
        int iterations = a.positiveInt("iterations");
        int warmup = a.nonNegativeInt("warmup");
        int threads = a.positiveInt("threads");
        if (!Files.isRegularFile(model)) {
            throw new UsageException("--onnx: no such file: " + model);
        }
        RgbImage frame = FaceBench.frame(image, size[0], size[1]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = OrtPeer.options(threads)) {
            long t0 = System.nanoTime();
            try (OrtSession session = env.createSession(model.toString(), opts)) {
                // ONNX Runtime as a careful user runs it: one direct buffer per input size, filled in place, which
                // ORT reads without a copy (a heap FloatBuffer would be copied into a fresh direct one per frame)
                Map<Long, FloatBuffer> buffers = new java.util.HashMap<>();
                FaceBench.Network network = FaceBench.Network.of(Preprocessing.Layout.CHW, (chw, h, w) -> {
                    FloatBuffer buffer = buffers.computeIfAbsent(((long) h << 32) | w, k -> ByteBuffer
                            .allocateDirect(chw.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
                    buffer.clear();
                    buffer.put(chw).flip();
                    try (OnnxTensor input = OnnxTensor.createTensor(env, buffer, new long[] {1, 3, h, w});
                         OrtSession.Result result = session.run(Map.of("input", input))) {
                        return new float[][] {floats(result, "loc"), floats(result, "conf"), floats(result, "landms")};
                    }
                });
                FaceBench bench = new FaceBench(DetectionConfig.defaults(), network);
                bench.run(frame, new java.util.HashMap<>()); // the first run initialises the session's kernels for this size
                double loadMs = (System.nanoTime() - t0) / 1e6;
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("backend", "onnxruntime");
                extra.put("description", OrtPeer.description(env, threads));
                extra.put("threads", threads);
                extra.put("image", image == null ? "synthetic" : image.toString());
                extra.put("load_and_compile_ms", Math.round(loadMs * 1000) / 1000.0);
                out.println(new ObjectMapper().writeValueAsString(bench.measure(frame, warmup, iterations, extra)));
            }
        }
    }

    private static float[] floats(OrtSession.Result result, String name) {
        FloatBuffer b = ((OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException(
                "the ONNX model has no output '" + name + "'"))).getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }
}
