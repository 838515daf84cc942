package dev.affect.engine.data.synth;

import java.util.SplittableRandom;

/**
 * The hidden per-frame state of one synthetic video: expression, continuous AU activations, valence/arousal
 * and head pose. The expression changes every few dozen frames; its intensity ramps in and out smoothly.
 */
final class FrameTrack {
    static final int NEUTRAL = 0;
    static final int ANGER = 1;
    static final int DISGUST = 2;
    static final int FEAR = 3;
    static final int HAPPINESS = 4;
    static final int SADNESS = 5;
    static final int SURPRISE = 6;
    static final int OTHER = 7;

    // AU indices in the ABAW header order
    static final int AU1 = 0;
    static final int AU2 = 1;
    static final int AU4 = 2;
    static final int AU6 = 3;
    static final int AU7 = 4;
    static final int AU10 = 5;
    static final int AU12 = 6;
    static final int AU15 = 7;
    static final int AU23 = 8;
    static final int AU24 = 9;
    static final int AU25 = 10;
    static final int AU26 = 11;
    static final int AU_COUNT = 12;

    /** Activation at or above which an AU is labelled present. */
    static final double AU_ON = 0.3;
    /** Intensity at or above which the segment's expression is the label (below: Neutral). */
    static final double EXPRESSION_ON = 0.25;

    private static final int[][] EXPRESSION_AUS = {
            {},
            {AU4, AU7, AU23},
            {AU10},
            {AU1, AU2, AU4, AU25},
            {AU6, AU12},
            {AU1, AU4, AU15},
            {AU1, AU2, AU25, AU26},
            {},
    };
    // target (valence, arousal) at full intensity; Other draws its own per segment
    private static final double[][] EXPRESSION_VA = {
            {0.0, 0.0}, {-0.6, 0.7}, {-0.65, 0.3}, {-0.5, 0.75}, {0.75, 0.45}, {-0.65, -0.35}, {0.2, 0.8}, {0.0, 0.3},
    };

    final int frames;
    final int[] expression;
    final double[][] au;
    final double[] valence;
    final double[] arousal;
    final double[] dx;
    final double[] dy;
    final double[] tilt;

    FrameTrack(int frames, SplittableRandom rng) {
        this.frames = frames;
        expression = new int[frames];
        au = new double[frames][AU_COUNT];
        valence = new double[frames];
        arousal = new double[frames];
        dx = new double[frames];
        dy = new double[frames];
        tilt = new double[frames];
        drawExpressions(rng);
        drawHeadMotion(rng);
    }

    private void drawExpressions(SplittableRandom rng) {
        double driftV = 0;
        double driftA = 0;
        int start = 0;
        while (start < frames) {
            int length = Math.min(frames - start, 24 + rng.nextInt(41));
            int cls = rng.nextDouble() < 0.2 ? NEUTRAL : 1 + rng.nextInt(7);
            double peak = 0.55 + 0.45 * rng.nextDouble();
            double ramp = Math.max(2, Math.min(length / 3.0, 8 + rng.nextInt(9)));
            double[] weight = new double[AU_COUNT];
            int[] aus = EXPRESSION_AUS[cls];
            if (cls == OTHER) {
                aus = rng.ints(2 + rng.nextInt(2), 0, AU_COUNT).distinct().toArray();
            }
            for (int a : aus) {
                weight[a] = 0.8 + 0.2 * rng.nextDouble();
            }
            double targetV = EXPRESSION_VA[cls][0];
            double targetA = EXPRESSION_VA[cls][1];
            if (cls == OTHER) {
                targetV = rng.nextDouble(-0.5, 0.5);
                targetA = rng.nextDouble(0.0, 0.6);
            }
            for (int t = 0; t < length; t++) {
                int f = start + t;
                double edge = Math.min(1.0, Math.min((t + 0.5) / ramp, (length - t - 0.5) / ramp));
                double intensity = cls == NEUTRAL ? 0.0 : peak * smoothstep(edge);
                expression[f] = intensity >= EXPRESSION_ON ? cls : NEUTRAL;
                for (int a = 0; a < AU_COUNT; a++) {
                    au[f][a] = intensity * weight[a];
                }
                driftV = 0.97 * driftV + 0.012 * rng.nextDouble(-1, 1);
                driftA = 0.97 * driftA + 0.012 * rng.nextDouble(-1, 1);
                valence[f] = clamp(targetV * intensity + driftV);
                arousal[f] = clamp(targetA * intensity + driftA);
            }
            start += length;
        }
    }

    private void drawHeadMotion(SplittableRandom rng) {
        double[] p = new double[9];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextDouble(0, 2 * Math.PI);
        }
        double slow = rng.nextDouble(40, 90);
        double fast = rng.nextDouble(15, 30);
        for (int f = 0; f < frames; f++) {
            dx[f] = 1.5 * Math.sin(2 * Math.PI * f / slow + p[0]) + 0.7 * Math.sin(2 * Math.PI * f / fast + p[1]);
            dy[f] = 1.2 * Math.sin(2 * Math.PI * f / slow + p[2]) + 0.6 * Math.sin(2 * Math.PI * f / fast + p[3]);
            tilt[f] = Math.toRadians(2.5 * Math.sin(2 * Math.PI * f / slow + p[4]) + Math.sin(2 * Math.PI * f / fast + p[5]));
        }
    }

    boolean auOn(int frame, int a) {
        return au[frame][a] >= AU_ON;
    }

    private static double smoothstep(double x) {
        double c = Math.max(0, Math.min(1, x));
        return c * c * (3 - 2 * c);
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
