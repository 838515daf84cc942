package dev.affect.engine.data.synth;

import static dev.affect.engine.data.synth.FrameTrack.AU1;
import static dev.affect.engine.data.synth.FrameTrack.AU10;
import static dev.affect.engine.data.synth.FrameTrack.AU12;
import static dev.affect.engine.data.synth.FrameTrack.AU15;
import static dev.affect.engine.data.synth.FrameTrack.AU2;
import static dev.affect.engine.data.synth.FrameTrack.AU23;
import static dev.affect.engine.data.synth.FrameTrack.AU24;
import static dev.affect.engine.data.synth.FrameTrack.AU25;
import static dev.affect.engine.data.synth.FrameTrack.AU26;
import static dev.affect.engine.data.synth.FrameTrack.AU4;
import static dev.affect.engine.data.synth.FrameTrack.AU6;
import static dev.affect.engine.data.synth.FrameTrack.AU7;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Draws one 112x112 face per frame; the geometry follows the continuous AU activations: brows (AU1 inner
 * raise, AU2 outer raise, AU4 lower and knit), lids (AU6, AU7 narrow the eyes), cheeks (AU6 raise and flush),
 * lips (AU10 upper lip up, AU12 corners up and wider, AU15 corners down, AU23/AU24 thin and narrow) and the
 * mouth opening (AU25 part, AU26 jaw drop). One renderer per video holds that subject's fixed look.
 */
final class FaceRenderer {
    static final int SIZE = 112;
    /** Centre of the neutral face; the mouth centre sits {@link #MOUTH_DY} below it. */
    static final double CENTER_X = 56;
    static final double CENTER_Y = 56;
    static final double MOUTH_DY = 24;

    private final Color background;
    private final Color skin;
    private final Color cheek;
    private final Color brow;
    private final Color lip;
    private final double faceHalfWidth;
    private final double faceHalfHeight;
    private final double eyeSpacing;

    FaceRenderer(SplittableRandom rng) {
        int g = 40 + rng.nextInt(120);
        background = new Color(g, Math.min(255, g + rng.nextInt(30)), Math.min(255, g + rng.nextInt(40)));
        double tone = rng.nextDouble();
        skin = new Color((int) (235 - 90 * tone), (int) (200 - 95 * tone), (int) (175 - 95 * tone));
        cheek = new Color(220, 90, 90);
        int b = 20 + rng.nextInt(50);
        brow = new Color(b, (int) (b * 0.8), (int) (b * 0.6));
        lip = new Color(150 + rng.nextInt(40), 50 + rng.nextInt(30), 60 + rng.nextInt(30));
        faceHalfWidth = 34 + rng.nextDouble(0, 5);
        faceHalfHeight = 44 + rng.nextDouble(0, 5);
        eyeSpacing = 14 + rng.nextDouble(0, 3);
    }

    BufferedImage render(FrameTrack track, int f, FrameNuisance nuisance) {
        double[] a = track.au[f];
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(background);
            g.fillRect(0, 0, SIZE, SIZE);
            double cx = CENTER_X + track.dx[f];
            double cy = CENTER_Y + track.dy[f];
            g.rotate(track.tilt[f], cx, cy);

            double jaw = 5 * a[AU26];
            g.setColor(skin);
            g.fill(new Ellipse2D.Double(cx - faceHalfWidth, cy - faceHalfHeight + 2, 2 * faceHalfWidth,
                    2 * faceHalfHeight + jaw));

            drawCheeks(g, cx, cy, a);
            drawEyes(g, cx, cy, a, nuisance.lidClosure(f));
            drawBrows(g, cx, cy, a);
            drawNose(g, cx, cy, a);
            drawMouth(g, cx, cy + MOUTH_DY, a);
        } finally {
            g.dispose();
        }
        nuisance.apply(img, f);
        return img;
    }

    private void drawCheeks(Graphics2D g, double cx, double cy, double[] a) {
        int alpha = (int) Math.round(150 * Math.min(1, a[AU6]));
        if (alpha <= 0) {
            return;
        }
        g.setColor(new Color(cheek.getRed(), cheek.getGreen(), cheek.getBlue(), alpha));
        double y = cy + 8 - 4 * a[AU6];
        for (int side = -1; side <= 1; side += 2) {
            double x = cx + side * (eyeSpacing + 4);
            g.fill(new Ellipse2D.Double(x - 8, y - 5, 16, 10));
        }
    }

    private void drawEyes(Graphics2D g, double cx, double cy, double[] a, double blink) {
        double y = cy - 10;
        double open = (7 * (1 - 0.5 * Math.min(1, a[AU7]) - 0.3 * Math.min(1, a[AU6]))
                + 1.5 * Math.min(1, a[AU2])) * (1 - 0.85 * blink);
        for (int side = -1; side <= 1; side += 2) {
            double x = cx + side * eyeSpacing;
            g.setColor(Color.WHITE);
            Ellipse2D eye = new Ellipse2D.Double(x - 7, y - open / 2, 14, open);
            g.fill(eye);
            java.awt.Shape clip = g.getClip();
            g.clip(eye);
            g.setColor(new Color(40, 30, 25));
            g.fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
            g.setClip(clip);
            g.setColor(skin.darker());
            g.setStroke(new BasicStroke(1.2f));
            g.draw(eye);
        }
    }

    private void drawBrows(Graphics2D g, double cx, double cy, double[] a) {
        double base = cy - 20;
        double lower = 4 * a[AU4];
        double knit = 3 * a[AU4];
        g.setColor(brow);
        g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int side = -1; side <= 1; side += 2) {
            double innerX = cx + side * (eyeSpacing - 8 - knit);
            double outerX = cx + side * (eyeSpacing + 8);
            double innerY = base + lower - 5 * a[AU1] + 1.5 * a[AU4];
            double outerY = base + lower - 5 * a[AU2];
            g.draw(new Line2D.Double(innerX, innerY, outerX, outerY));
        }
    }

    private void drawNose(Graphics2D g, double cx, double cy, double[] a) {
        g.setColor(skin.darker());
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double tip = cy + 12;
        double wing = 5 + 2 * a[AU10];
        g.draw(new Line2D.Double(cx, cy - 4, cx, tip));
        g.draw(new Line2D.Double(cx - wing, tip - a[AU10], cx + wing, tip - a[AU10]));
    }

    /** The mouth as sampled curves over t in [-1, 1]: corners follow t^2, the lips bulge with 1 - t^2. */
    private void drawMouth(Graphics2D g, double cx, double my, double[] a) {
        double halfWidth = 14 + 3 * a[AU12] - 3 * a[AU23] - 2 * a[AU24];
        double corner = -6 * a[AU12] + 5 * a[AU15];
        double gap = 4 * a[AU25] + 9 * a[AU26];
        double raise = 3 * a[AU10];
        double thin = Math.max(0.3, 1 - 0.5 * a[AU23] - 0.5 * a[AU24]);
        double upperT = 3.5 * thin;
        double lowerT = 4.5 * thin;
        int n = 24;
        double[] x = new double[n + 1];
        double[] upperOuter = new double[n + 1];
        double[] upperInner = new double[n + 1];
        double[] lowerInner = new double[n + 1];
        double[] lowerOuter = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double t = -1 + 2.0 * i / n;
            double bulge = 1 - t * t;
            double mid = my + corner * t * t;
            x[i] = cx + halfWidth * t;
            upperInner[i] = mid - (gap / 2 + raise) * bulge;
            upperOuter[i] = upperInner[i] - upperT * Math.sqrt(bulge) - 0.5;
            lowerInner[i] = mid + gap / 2 * bulge;
            lowerOuter[i] = lowerInner[i] + lowerT * Math.sqrt(bulge) + 0.5;
        }
        g.setColor(new Color(45, 15, 20));
        g.fill(band(x, upperInner, lowerInner));
        g.setColor(lip);
        g.fill(band(x, upperOuter, upperInner));
        g.fill(band(x, lowerInner, lowerOuter));
    }

    private static Path2D band(double[] x, double[] top, double[] bottom) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x[0], top[0]);
        for (int i = 1; i < x.length; i++) {
            p.lineTo(x[i], top[i]);
        }
        for (int i = x.length - 1; i >= 0; i--) {
            p.lineTo(x[i], bottom[i]);
        }
        p.closePath();
        return p;
    }
}
