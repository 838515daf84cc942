package dev.affect.engine.training.run;

import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.metrics.AuMetrics;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.metrics.VaMetrics;
import dev.affect.engine.training.data.EpochOrder;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.data.WindowedSplit;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * Scores a head on a split with the challenge metrics (engine.metrics): every frame with an
 * embedding and a valid label once, which needs the split cut with {@link
 * dev.affect.engine.training.data.Tail#PAD} and stride = window length.
 */
final class Validation {
    /** The scores by {@link Metric#key()} (train_loss excluded) and the AU thresholds (empty otherwise). */
    record Scores(SequencedMap<String, Double> metrics, double[] auThresholds) {
    }

    private Validation() {
    }

    static Scores score(TrainableHead head, WindowedSplit split, int batch) {
        if (split.spec().stride() != split.spec().length()) {
            throw new IllegalArgumentException("validation windows must tile the frames (stride = length), got "
                    + split.spec());
        }
        AbawTask task = split.task();
        int[] order = EpochOrder.sequential(split.size());
        FloatList pred = new FloatList();
        FloatList truth = new FloatList();
        for (int from = 0; from < order.length; from += batch) {
            try (WindowBatch b = split.batch(order, from, Math.min(order.length, from + batch))) {
                float[] values = head.predict(b);
                int n = values.length / b.rows();
                float[] labels = b.labels();
                float[] mask = b.mask();
                for (int r = 0; r < b.rows(); r++) {
                    if (mask[r] != 0) {
                        pred.add(values, r * n, n);
                        truth.add(labels, r * b.labelWidth(), b.labelWidth());
                    }
                }
            }
        }
        SequencedMap<String, Double> m = new LinkedHashMap<>();
        double[] thresholds = new double[0];
        switch (task) {
            case VA -> {
                VaMetrics va = VaMetrics.ofRows(pred.toArray(), truth.toArray());
                m.put(Metric.P_VA.key(), va.pVa());
                m.put(Metric.CCC_V.key(), va.cccValence());
                m.put(Metric.CCC_A.key(), va.cccArousal());
            }
            case EXPR -> {
                ExprMetrics expr = ExprMetrics.of(argmax(pred.toArray(), 8), toLongs(truth.toArray()));
                m.put(Metric.F1_EXPR.key(), expr.f1Macro());
                m.put(Metric.ACCURACY_EXPR.key(), expr.accuracy());
            }
            case AU -> {
                AuMetrics au = AuMetrics.of(pred.toArray(), toLongs(truth.toArray()), 12);
                m.put(Metric.F1_AU.key(), au.f1Mean());
                m.put(Metric.F1_AU_OPTIMIZED.key(), au.f1MeanOptimized());
                thresholds = au.bestThresholds();
            }
        }
        return new Scores(m, thresholds);
    }

    /** The class of each row of {@code classes} scores; ties to the lowest class. */
    static long[] argmax(float[] scores, int classes) {
        long[] out = new long[scores.length / classes];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[i * classes + c] > scores[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static long[] toLongs(float[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }

    /** A growable float array (validation sets reach millions of values). */
    private static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float[] src, int offset, int n) {
            if (size + n > values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, size + n));
            }
            System.arraycopy(src, offset, values, size, n);
            size += n;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
