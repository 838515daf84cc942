package dev.affect.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one report shows, any part optional: the scores of each task, the per-frame VA values
 * behind the VA plots, the training curves and a few lines of context (split, checkpoint, ...).
 * Immutable; the {@code with...} methods return a copy.
 */
public record ReportData(String title, Map<String, String> context, Optional<VaScores> va,
                         Optional<VaPoints> vaPoints, Optional<ExprScores> expr, Optional<AuScores> au,
                         TrainingHistory history) {
    public ReportData {
        context = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    public static ReportData titled(String title) {
        return new ReportData(title, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                TrainingHistory.NONE);
    }

    public ReportData withContext(String key, String value) {
        Map<String, String> c = new LinkedHashMap<>(context);
        c.put(key, value);
        return new ReportData(title, c, va, vaPoints, expr, au, history);
    }

    public ReportData withVa(VaScores scores) {
        return new ReportData(title, context, Optional.of(scores), vaPoints, expr, au, history);
    }

    public ReportData withVaPoints(VaPoints points) {
        return new ReportData(title, context, va, Optional.of(points), expr, au, history);
    }

    public ReportData withExpr(ExprScores scores) {
        return new ReportData(title, context, va, vaPoints, Optional.of(scores), au, history);
    }

    public ReportData withAu(AuScores scores) {
        return new ReportData(title, context, va, vaPoints, expr, Optional.of(scores), history);
    }

    public ReportData withHistory(TrainingHistory h) {
        return new ReportData(title, context, va, vaPoints, expr, au, h);
    }

    /** Whether there is anything to report beyond the title and context. */
    public boolean isEmpty() {
        return va.isEmpty() && vaPoints.isEmpty() && expr.isEmpty() && au.isEmpty() && history.isEmpty();
    }
}
