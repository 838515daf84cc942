package dev.affect.engine.data.abaw;

import dev.affect.engine.model.heads.Task;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The three ABAW frame-level tasks on Aff-Wild2 (docs/affect-tasks.md sections 1-2): the release
 * folder, the exact header line of every annotation file, the values a data line may hold, and the
 * invalid (unannotated) marker that curation drops.
 */
public enum AbawTask {
    /** Valence and arousal, two floats in [-1, 1]; -5 marks an unannotated value. */
    VA("VA_Estimation_Challenge", Task.VA),
    /** One class index 0..7 in header order; -1 marks an unannotated frame. */
    EXPR("EXPR_Recognition_Challenge", Task.EXPR),
    /** Twelve 0/1 action units in header order; -1 marks an unannotated value. */
    AU("AU_Detection_Challenge", Task.AU);

    /** The VA marker of an unannotated value. */
    public static final float VA_INVALID = -5f;
    /** The EXPR and AU marker of an unannotated value. */
    public static final float CLASS_INVALID = -1f;

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private final String folder;
    private final List<String> columns;
    private final String header;

    // the columns are the head task's labels: one list of names, in the annotation files' order
    AbawTask(String folder, Task task) {
        this.folder = folder;
        this.columns = task.labels();
        this.header = String.join(",", columns);
    }

    /** The folder of this task in an annotation release, e.g. {@code VA_Estimation_Challenge}. */
    public String folder() {
        return folder;
    }

    /** The exact first line of every annotation file of this task. */
    public String header() {
        return header;
    }

    /** The header's column names, in file order. */
    public List<String> columns() {
        return columns;
    }

    /**
     * How many numbers a data line holds: 2 (VA), 1 (EXPR: the class index, although the header
     * names all 8 classes) or 12 (AU).
     */
    public int fields() {
        return this == EXPR ? 1 : columns.size();
    }

    /**
     * Parses one data line (no frame column, comma separated, no spaces).
     *
     * @throws IllegalArgumentException with the reason (the caller adds file and line) when the
     *     field count is wrong, a field is not a number of the right kind, or a value is out of range
     */
    public float[] parse(String line) {
        String[] parts = line.split(",", -1);
        if (parts.length != fields()) {
            throw new IllegalArgumentException("expected " + fields() + " comma-separated value" + (fields() == 1 ? "" : "s")
                    + " for " + name() + ", got " + parts.length + ": '" + line + "'");
        }
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = value(parts[i], i);
        }
        return values;
    }

    private float value(String s, int i) {
        String column = this == EXPR ? "class" : columns.get(i);
        if (this == VA) {
            if (!DECIMAL.matcher(s).matches()) {
                throw new IllegalArgumentException(column + " is not a number: '" + s + "'");
            }
            float v = Float.parseFloat(s);
            if (v != VA_INVALID && !(v >= -1f && v <= 1f)) {
                throw new IllegalArgumentException(column + " " + s + " is outside [-1, 1] and not the invalid marker -5");
            }
            return v;
        }
        if (!INTEGER.matcher(s).matches()) {
            throw new IllegalArgumentException(column + " is not an integer: '" + s + "'");
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is out of range: '" + s + "'");
        }
        int max = this == EXPR ? 7 : 1;
        if (v < -1 || v > max) {
            throw new IllegalArgumentException(column + " " + v + " is outside 0.." + max + " and not the invalid marker -1");
        }
        return v;
    }

    /**
     * Whether a parsed label carries the invalid marker (paper Table 1): VA when either value is
     * -5, EXPR when the class is -1, AU when any unit is -1.
     */
    public boolean isInvalid(float[] label) {
        float marker = this == VA ? VA_INVALID : CLASS_INVALID;
        for (float v : label) {
            if (v == marker) {
                return true;
            }
        }
        return false;
    }
}
