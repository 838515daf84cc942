package dev.affect.engine.training.loss;

/** Shape checks shared by the losses: a flat row-major [frames, columns] array. */
final class Rows {
    private Rows() {
    }

    /** The number of rows of a [rows, columns] array, or an error naming the input. */
    static int of(float[] values, int columns, String what) {
        if (columns <= 0 || values.length % columns != 0) {
            throw new IllegalArgumentException(what + ": " + values.length + " values are not rows of " + columns);
        }
        return values.length / columns;
    }

    static void sameLength(float[] a, float[] b, String what) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(what + ": " + a.length + " predictions, " + b.length + " targets");
        }
    }
}
