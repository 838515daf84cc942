package dev.affect.engine.model.retinaface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Selection of detections among decoded priors as the authors' scripts do it: strict confidence
 * threshold, sort by score descending, top_k, greedy NMS ({@code py_cpu_nms}, +1 pixel areas, float32),
 * keep_top_k. Score ties (numpy's argsort()[::-1] leaves them to its sort) go to the higher prior
 * index first, which is what that expression gives when the sort is stable.
 */
public final class PostProcessing {
    private PostProcessing() {
    }

    /** The prior indices kept, in output order (descending score). */
    public static int[] keep(float[] boxes, float[] scores, DetectionConfig cfg) {
        if (boxes.length != scores.length * 4) {
            throw new IllegalArgumentException(boxes.length + " box values for " + scores.length + " scores");
        }
        float threshold = cfg.confidenceThreshold();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > threshold) {
                candidates.add(i);
            }
        }
        candidates.sort((a, b) -> {
            int c = Float.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(b, a);
        });
        int[] order = candidates.stream().mapToInt(Integer::intValue).limit(cfg.topK()).toArray();
        int[] kept = nms(boxes, order, cfg.nmsThreshold());
        return kept.length > cfg.keepTopK() ? Arrays.copyOf(kept, cfg.keepTopK()) : kept;
    }

    /**
     * Greedy NMS over {@code order} (prior indices, best first): keep the first, drop every later one
     * whose IoU with it is greater than the threshold, repeat. Areas and intersections count pixels
     * inclusively ((x2 - x1 + 1) * (y2 - y1 + 1)), all in float32.
     */
    static int[] nms(float[] boxes, int[] order, float threshold) {
        int n = order.length;
        float[] areas = new float[n];
        for (int k = 0; k < n; k++) {
            int b = 4 * order[k];
            areas[k] = (boxes[b + 2] - boxes[b] + 1) * (boxes[b + 3] - boxes[b + 1] + 1);
        }
        boolean[] dropped = new boolean[n];
        int[] kept = new int[n];
        int count = 0;
        for (int k = 0; k < n; k++) {
            if (dropped[k]) {
                continue;
            }
            kept[count++] = order[k];
            int a = 4 * order[k];
            for (int m = k + 1; m < n; m++) {
                if (dropped[m]) {
                    continue;
                }
                int b = 4 * order[m];
                float xx1 = Math.max(boxes[a], boxes[b]);
                float yy1 = Math.max(boxes[a + 1], boxes[b + 1]);
                float xx2 = Math.min(boxes[a + 2], boxes[b + 2]);
                float yy2 = Math.min(boxes[a + 3], boxes[b + 3]);
                float w = Math.max(0f, xx2 - xx1 + 1);
                float h = Math.max(0f, yy2 - yy1 + 1);
                float inter = w * h;
                float iou = inter / (areas[k] + areas[m] - inter);
                if (!(iou <= threshold)) {
                    dropped[m] = true;
                }
            }
        }
        return Arrays.copyOf(kept, count);
    }

    /** The detections of the kept priors, from decoded boxes [P, 4], scores [P] and landmarks [P, 10]. */
    public static List<FaceDetection> detections(int[] kept, float[] boxes, float[] scores, float[] landmarks) {
        List<FaceDetection> out = new ArrayList<>(kept.length);
        for (int i : kept) {
            out.add(new FaceDetection(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], scores[i],
                    Arrays.copyOfRange(landmarks, 10 * i, 10 * i + 10)));
        }
        return out;
    }
}
