package dev.affect.cli;

import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.FaceDetection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A photo with its detections drawn on, for people to check: each box, and its five landmarks in
 * the order's colours (eyes blue, nose green, mouth corners red). No text, so no font is needed
 * on a headless machine; scores are in detections.json.
 */
final class DetectionDrawing {
    private static final Color BOX = new Color(255, 220, 0);
    private static final Color[] LANDMARKS = {Color.BLUE, Color.BLUE, Color.GREEN, Color.RED, Color.RED};

    private DetectionDrawing() {
    }

    /** A new image the size of {@code photo}; the photo itself is left as it is. */
    static BufferedImage draw(RgbImage photo, List<FaceDetection> faces) {
        BufferedImage canvas = PngImages.toBuffered(photo);
        // Lines scale with the photo so they stay visible on a 6000-pixel photo and thin on a small one.
        float stroke = Math.max(1f, Math.max(photo.width(), photo.height()) / 400f);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(stroke));
            for (FaceDetection f : faces) {
                g.setColor(BOX);
                g.draw(new Rectangle2D.Float(f.x1(), f.y1(), f.x2() - f.x1(), f.y2() - f.y1()));
                float r = 1.5f * stroke;
                for (int k = 0; k < 5; k++) {
                    g.setColor(LANDMARKS[k]);
                    g.fill(new Ellipse2D.Float(f.landmarkX(k) - r, f.landmarkY(k) - r, 2 * r, 2 * r));
                }
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }
}
