package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.proto.v1.FrameLabel;
import java.util.EnumMap;
import java.util.Map;

/** A streamed frame's ground truth (affect.v1.FrameLabel) per task, checked against the ABAW ranges. */
final class FrameLabels {
    private FrameLabels() {
    }

    /**
     * The label of each task the frame has one for (invalid markers allowed: -5 for VA, -1 otherwise).
     *
     * @param at the label's field in errors, e.g. {@code frames[12].label}
     * @throws InvalidInputException naming the field of the first bad value
     */
    static Map<AbawTask, float[]> of(FrameLabel l, String at) {
        Map<AbawTask, float[]> out = new EnumMap<>(AbawTask.class);
        if (l.hasValence() || l.hasArousal()) {
            if (!l.hasValence()) {
                throw new InvalidInputException(at + ".valence", "required with arousal: valence and arousal come together");
            }
            if (!l.hasArousal()) {
                throw new InvalidInputException(at + ".arousal", "required with valence: valence and arousal come together");
            }
            checkVa(l.getValence(), at + ".valence");
            checkVa(l.getArousal(), at + ".arousal");
            out.put(AbawTask.VA, new float[] {l.getValence(), l.getArousal()});
        }
        if (l.hasExpression()) {
            int e = l.getExpression();
            if (e < -1 || e > 7) {
                throw new InvalidInputException(at + ".expression", "must be 0..7 or -1, got " + e);
            }
            out.put(AbawTask.EXPR, new float[] {e});
        }
        if (l.getActionUnitsCount() > 0) {
            int n = AbawTask.AU.fields();
            if (l.getActionUnitsCount() != n) {
                throw new InvalidInputException(at + ".action_units", "needs " + n + " values, got "
                        + l.getActionUnitsCount());
            }
            float[] au = new float[n];
            for (int k = 0; k < n; k++) {
                int v = l.getActionUnits(k);
                if (v < -1 || v > 1) {
                    throw new InvalidInputException(at + ".action_units[" + k + "]", "must be 0, 1 or -1, got " + v);
                }
                au[k] = v;
            }
            out.put(AbawTask.AU, au);
        }
        return out;
    }

    private static void checkVa(float v, String field) {
        if (!(v == AbawTask.VA_INVALID || (v >= -1 && v <= 1))) {
            throw new InvalidInputException(field, "must be in [-1, 1] or -5, got " + v);
        }
    }
}
