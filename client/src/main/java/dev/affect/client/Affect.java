package dev.affect.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A frame's task values; a task the caller did not ask for, or the pipeline has no head for, is null.
 *
 * @param va valence and arousal, or null
 * @param expression the expression probabilities, or null
 * @param actionUnits the action units, or null
 */
public record Affect(ValenceArousal va, Expression expression, ActionUnits actionUnits) {

    /** Valence and arousal in [-1, 1]. */
    public record ValenceArousal(float valence, float arousal) {
    }

    /**
     * @param names the classes, in the task's order
     * @param probabilities one per name, summing to 1
     * @param top the most probable class
     */
    public record Expression(List<String> names, float[] probabilities, String top, int topIndex) {
        public Expression {
            names = List.copyOf(names);
        }
    }

    /** One AU: probability, the session's threshold for it, and whether it is active. */
    public record ActionUnit(String name, float probability, float threshold, boolean active) {
    }

    /** Every AU in the task's order, and the names of the active ones. */
    public record ActionUnits(List<ActionUnit> units, List<String> active) {
        public ActionUnits {
            units = List.copyOf(units);
            active = List.copyOf(active);
        }
    }

    static Affect of(dev.affect.proto.v1.Affect a) {
        ValenceArousal va = a.hasVa() ? new ValenceArousal(a.getVa().getValence(), a.getVa().getArousal()) : null;
        Expression expr = null;
        if (a.hasExpression()) {
            var e = a.getExpression();
            List<String> names = new ArrayList<>(e.getProbabilitiesCount());
            float[] p = new float[e.getProbabilitiesCount()];
            for (int i = 0; i < p.length; i++) {
                names.add(e.getProbabilities(i).getName());
                p[i] = e.getProbabilities(i).getProbability();
            }
            expr = new Expression(names, p, e.getTop(), e.getTopIndex());
        }
        ActionUnits aus = null;
        if (a.hasActionUnits()) {
            List<ActionUnit> units = new ArrayList<>();
            for (var u : a.getActionUnits().getUnitsList()) {
                units.add(new ActionUnit(u.getName(), u.getProbability(), u.getThreshold(), u.getActive()));
            }
            aus = new ActionUnits(units, a.getActionUnits().getActiveList());
        }
        return new Affect(va, expr, aus);
    }
}
