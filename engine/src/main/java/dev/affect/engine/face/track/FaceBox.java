package dev.affect.engine.face.track;

import dev.affect.engine.InvalidInputException;

/**
 * A face box in image pixels, corners (x1, y1) top left and (x2, y2) bottom right, as a detector
 * returns it. Areas and overlaps here are continuous ({@code (x2 - x1) * (y2 - y1)}), not the
 * detector NMS's "+1 pixel" convention: tracking only compares overlaps with each other.
 */
public record FaceBox(float x1, float y1, float x2, float y2) {
    public FaceBox {
        if (!Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2) || !Float.isFinite(y2)) {
            throw new InvalidInputException("box", "coordinates must be finite, got " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
        if (x2 < x1 || y2 < y1) {
            throw new InvalidInputException("box", "x2 >= x1 and y2 >= y1 expected, got " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
    }

    public double area() {
        return ((double) x2 - x1) * ((double) y2 - y1);
    }

    /** Intersection over union; 0 when the boxes do not overlap or both are empty. */
    public double iou(FaceBox other) {
        double w = Math.min(x2, other.x2) - (double) Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - (double) Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double intersection = w * h;
        return intersection / (area() + other.area() - intersection);
    }
}
