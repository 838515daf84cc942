package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.PillowResize;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.image.align.FaceAligner;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.engine.model.retinaface.FaceDetection;
import dev.affect.engine.model.retinaface.Preprocessing;
import dev.affect.engine.model.retinaface.Priors;
import dev.affect.engine.model.retinaface.RetinaFace;
import dev.affect.engine.model.retinaface.RetinaFaceDetector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Face detection + alignment per frame, timed stage by stage, for {@code affect bench --model
 * retinaface} and for ONNX Runtime's side of {@code scripts/bench --model retinaface} (the bench
 * module), so that both run the very same Java around their network: {@link #frame} builds the
 * frame, then each iteration runs RetinaFaceDetector's steps as it runs them (preprocess:
 * resize, BGR minus means, pad to the size bucket, in the layout the network takes; the network; postprocess: decode boxes and
 * landmarks, threshold, NMS; align: every face warped to 112x112 by {@link FaceAligner}). Only the
 * {@link Network} differs.
 */
public final class FaceBench {
    /** Stage names, in the order they run. */
    public static final List<String> STAGES = List.of("preprocess", "network", "postprocess", "align");

    /**
     * One network run: the input (B, G, R minus means, of H x W, in the layout the network takes:
     * ONNX's NCHW planes, our engine's pixel-interleaved HWC) to loc, conf and landms as flat arrays.
     */
    public interface Network {
        Preprocessing.Layout layout();

        float[][] run(float[] input, int height, int width) throws Exception;

        /** A network taking {@code layout}. */
        static Network of(Preprocessing.Layout layout, Run run) {
            return new Network() {
                @Override
                public Preprocessing.Layout layout() {
                    return layout;
                }

                @Override
                public float[][] run(float[] input, int height, int width) throws Exception {
                    return run.run(input, height, width);
                }
            };
        }
    }

    /** The run of a {@link Network}. */
    @FunctionalInterface
    public interface Run {
        float[][] run(float[] input, int height, int width) throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final DetectionConfig config;
    private final FaceAligner aligner = new FaceAligner();
    private final Network network;
    private float[] input;

    public FaceBench(DetectionConfig config, Network network) {
        this.config = config;
        this.network = network;
    }

    /** Our network: the engine's RetinaFace as RetinaFaceDetector runs it (values in, arrays out). */
    public static Network engine(RetinaFace model) {
        return Network.of(Preprocessing.Layout.HWC, (hwc, h, w) -> {
            RetinaFace.Arrays out = model.run(hwc, h, w);
            return new float[][] {out.loc(), out.conf(), out.landms()};
        });
    }

    /**
     * A {@code width x height} frame: {@code image} letterboxed into it (scaled to fit with Pillow's
     * bilinear resize, centred on black), or without an image a deterministic synthetic one (smooth
     * gradients and noise, in which the released weights find no face, so nothing is aligned).
     */
    public static RgbImage frame(Path image, int width, int height) throws IOException {
        if (width < 1 || height < 1) {
            throw new InvalidInputException("--size", "must be WxH with W, H >= 1, got " + width + "x" + height);
        }
        byte[] out = new byte[width * height * 3];
        if (image == null) {
            Random rng = new Random(1);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = (y * width + x) * 3;
                    out[i] = (byte) (255 * x / Math.max(1, width - 1) ^ rng.nextInt(16));
                    out[i + 1] = (byte) (255 * y / Math.max(1, height - 1) ^ rng.nextInt(16));
                    out[i + 2] = (byte) (128 + rng.nextInt(32));
                }
            }
            return new RgbImage(width, height, out);
        }
        RgbImage photo = ImageDecoder.imageIo().decode(image);
        double scale = Math.min((double) width / photo.width(), (double) height / photo.height());
        int w = Math.clamp(Math.round(photo.width() * scale), 1, width);
        int h = Math.clamp(Math.round(photo.height() * scale), 1, height);
        RgbImage fitted = PillowResize.bilinear(photo, w, h);
        int left = (width - w) / 2;
        int top = (height - h) / 2;
        for (int y = 0; y < h; y++) {
            System.arraycopy(fitted.pixels(), y * w * 3, out, ((top + y) * width + left) * 3, w * 3);
        }
        return new RgbImage(width, height, out);
    }

    /**
     * One frame's faces and where the time went: wall ns per stage, in {@link #STAGES} order, and the
     * calling thread's CPU ns per stage (all of the work with one compute thread, whatever else the
     * machine runs: the figure to compare on a shared machine).
     */
    public record Pass(List<FaceFinder.Face> faces, long[] stageNanos, long[] stageCpuNanos, int paddedHeight,
                       int paddedWidth) {
        public long totalNanos() {
            return Arrays.stream(stageNanos).sum();
        }
    }

    /** Detects and aligns the faces of {@code frame}, timing each stage. */
    public Pass run(RgbImage frame, Map<Long, float[]> priorsCache) throws Exception {
        long[] ns = new long[STAGES.size()];
        long[] cpu = new long[STAGES.size()];
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Preprocessing.Prepared in = Preprocessing.prepare(frame.pixels(), frame.width(), frame.height(), 3, config,
                network.layout(), input);
        input = in.values(); // both sides reuse their input array, as the detector does
        int ph = in.paddedHeight();
        int pw = in.paddedWidth();
        long t1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        float[][] out = network.run(in.values(), ph, pw);
        long t2 = System.nanoTime();
        long c2 = THREADS.getCurrentThreadCpuTime();
        float[] p = priorsCache.computeIfAbsent(((long) ph << 32) | pw, k -> Priors.of(ph, pw));
        List<FaceDetection> detections = RetinaFaceDetector.decode(new RetinaFace.Arrays(out[0], out[1], out[2]), p, in,
                config);
        long t3 = System.nanoTime();
        long c3 = THREADS.getCurrentThreadCpuTime();
        List<FaceFinder.Face> faces = new ArrayList<>();
        for (FaceDetection d : detections) {
            faces.add(new FaceFinder.Face(d, aligner.align(frame, d.landmarks())));
        }
        long t4 = System.nanoTime();
        long c4 = THREADS.getCurrentThreadCpuTime();
        ns[0] = t1 - t0;
        ns[1] = t2 - t1;
        ns[2] = t3 - t2;
        ns[3] = t4 - t3;
        cpu[0] = c1 - c0;
        cpu[1] = c2 - c1;
        cpu[2] = c3 - c2;
        cpu[3] = c4 - c3;
        return new Pass(faces, ns, cpu, ph, pw);
    }

    /**
     * {@code warmup} untimed passes, then {@code iterations} timed ones; the result as one JSON-ready
     * map: medians per frame and per stage, the faces of the last pass, and {@code extra} first.
     */
    public Map<String, Object> measure(RgbImage frame, int warmup, int iterations, Map<String, Object> extra) throws Exception {
        if (iterations < 1 || warmup < 0) {
            throw new InvalidInputException("--iterations", "iterations must be >= 1 and warmup >= 0, got " + iterations
                    + " and " + warmup);
        }
        Map<Long, float[]> priors = new java.util.HashMap<>();
        for (int i = 0; i < warmup; i++) {
            run(frame, priors);
        }
        double[] total = new double[iterations];
        double[] totalCpu = new double[iterations];
        double[][] stages = new double[STAGES.size()][iterations];
        double[][] stagesCpu = new double[STAGES.size()][iterations];
        Pass last = null;
        for (int i = 0; i < iterations; i++) {
            last = run(frame, priors);
            total[i] = last.totalNanos() / 1e6;
            totalCpu[i] = Arrays.stream(last.stageCpuNanos()).sum() / 1e6;
            for (int s = 0; s < STAGES.size(); s++) {
                stages[s][i] = last.stageNanos()[s] / 1e6;
                stagesCpu[s][i] = last.stageCpuNanos()[s] / 1e6;
            }
        }
        Arrays.sort(total);
        double median = total[iterations / 2];
        Map<String, Object> r = new LinkedHashMap<>(extra);
        r.put("model", "retinaface");
        r.put("size", frame.width() + "x" + frame.height());
        r.put("network_input", "1x3x" + last.paddedHeight() + "x" + last.paddedWidth());
        r.put("iterations", iterations);
        r.put("ms_per_frame", round(median));
        r.put("ms_per_frame_p10", round(total[iterations / 10]));
        r.put("ms_per_frame_p90", round(total[Math.min(iterations - 1, iterations * 9 / 10)]));
        r.put("frames_per_second", round(1000.0 / median));
        Map<String, Object> stageMs = new LinkedHashMap<>();
        for (int s = 0; s < STAGES.size(); s++) {
            Arrays.sort(stages[s]);
            stageMs.put(STAGES.get(s), round(stages[s][iterations / 2]));
        }
        r.put("stage_ms_median", stageMs);
        Arrays.sort(totalCpu);
        r.put("caller_cpu_ms_per_frame", round(totalCpu[iterations / 2]));
        Map<String, Object> stageCpu = new LinkedHashMap<>();
        for (int s = 0; s < STAGES.size(); s++) {
            Arrays.sort(stagesCpu[s]);
            stageCpu.put(STAGES.get(s), round(stagesCpu[s][iterations / 2]));
        }
        r.put("stage_caller_cpu_ms_median", stageCpu);
        r.put("faces_per_frame", last.faces().size());
        List<List<Double>> found = new ArrayList<>();
        for (FaceFinder.Face f : last.faces()) {
            FaceDetection d = f.detection();
            found.add(List.of(round(d.x1()), round(d.y1()), round(d.x2()), round(d.y2()), round(d.score())));
        }
        r.put("faces", found);
        r.put("peak_rss_mb", ProcessMemory.peakRssMb());
        return r;
    }

    /** Parses {@code WxH}. */
    public static int[] size(String text) {
        String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].strip());
                int h = Integer.parseInt(parts[1].strip());
                if (w >= 1 && h >= 1 && (long) w * h <= (long) DetectionConfig.LARGEST_SIZE * DetectionConfig.LARGEST_SIZE) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--size", "must be WxH (e.g. 640x480), each >= 1 and at most "
                + DetectionConfig.LARGEST_SIZE + "x" + DetectionConfig.LARGEST_SIZE + " pixels in all, got '" + text + "'");
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
