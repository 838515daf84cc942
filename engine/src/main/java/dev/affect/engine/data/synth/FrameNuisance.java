package dev.affect.engine.data.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;

/**
 * What a real camera adds to a face that no label describes, so that one frame can mislead and the
 * frames around it cannot: sensor noise, flickering exposure, blinks (the lids close like AU6/AU7
 * for a few frames) and short occlusions (a hand over the mouth or the brows). Drawn from a random
 * stream of its own, so labels do not depend on it.
 */
final class FrameNuisance {
    /** Per-pixel Gaussian sensor noise, in 8-bit levels. */
    static final double NOISE_SIGMA = 7;
    /** Frame-to-frame exposure jitter (relative gain). */
    static final double GAIN_SIGMA = 0.05;

    private final SplittableRandom rng;
    private final double[] gain;
    private final double[] lidClosure;
    private final Occluder[] occluders;

    /** A hand-like blob over part of the face during a frame. */
    record Occluder(double x, double y, double rx, double ry, Color color) {
    }

    FrameNuisance(int frames, SplittableRandom rng) {
        this.rng = rng;
        gain = new double[frames];
        lidClosure = new double[frames];
        occluders = new Occluder[frames];
        for (int f = 0; f < frames; f++) {
            gain[f] = 1 + GAIN_SIGMA * rng.nextGaussian();
        }
        // blinks: every 40-100 frames, 3 frames closing and reopening
        for (int f = rng.nextInt(40); f < frames; f += 40 + rng.nextInt(61)) {
            double[] shape = {0.6, 1.0, 0.5};
            for (int k = 0; k < shape.length && f + k < frames; k++) {
                lidClosure[f + k] = shape[k];
            }
        }
        // occlusions: every 50-130 frames, 3-8 frames of a hand over the mouth or the brows
        for (int f = 20 + rng.nextInt(60); f < frames; f += 50 + rng.nextInt(81)) {
            int length = 3 + rng.nextInt(6);
            boolean mouth = rng.nextBoolean();
            double x = FaceRenderer.CENTER_X + rng.nextDouble(-14, 14);
            double y = FaceRenderer.CENTER_Y + (mouth ? FaceRenderer.MOUTH_DY : -18) + rng.nextDouble(-4, 4);
            int tone = 120 + rng.nextInt(100);
            Color color = new Color(tone, (int) (tone * 0.8), (int) (tone * 0.7));
            for (int k = 0; k < length && f + k < frames; k++) {
                occluders[f + k] = new Occluder(x + k * rng.nextDouble(-1, 1), y, rng.nextDouble(16, 24),
                        rng.nextDouble(9, 14), color);
            }
        }
    }

    /** How far the lids are closed by a blink at frame {@code f}: 0 open .. 1 shut. */
    double lidClosure(int f) {
        return lidClosure[f];
    }

    /** Whether something covers part of the face at frame {@code f}. */
    boolean occluded(int f) {
        return occluders[f] != null;
    }

    /** Draws the frame's occluder (if any) over the face, then its exposure and sensor noise. */
    void apply(BufferedImage img, int f) {
        Occluder o = occluders[f];
        if (o != null) {
            Graphics2D g = img.createGraphics();
            try {
                g.setColor(o.color());
                g.fill(new Ellipse2D.Double(o.x() - o.rx(), o.y() - o.ry(), 2 * o.rx(), 2 * o.ry()));
            } finally {
                g.dispose();
            }
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        double k = gain[f];
        for (int i = 0; i < px.length; i++) {
            double v = (px[i] & 0xFF) * k + NOISE_SIGMA * rng.nextGaussian();
            px[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
    }
}
