package dev.affect.report;

import dev.affect.report.plot.AuF1Plot;
import dev.affect.report.plot.ConfusionMatrixPlot;
import dev.affect.report.plot.Plot;
import dev.affect.report.plot.TrainingCurvesPlot;
import dev.affect.report.plot.VaAgreementPlot;
import dev.affect.report.plot.VaDensityPlot;
import java.util.ArrayList;
import java.util.List;

/** The figures of a report by section, each list possibly empty; {@link #of} draws what the data allows. */
public record ReportPlots(List<Plot> va, List<Plot> expr, List<Plot> au, List<Plot> training) {
    /** Fixed, so the same data gives the same pictures. */
    static final long SUBSAMPLE_SEED = 20_240_612L;

    public ReportPlots {
        va = List.copyOf(va);
        expr = List.copyOf(expr);
        au = List.copyOf(au);
        training = List.copyOf(training);
    }

    public static ReportPlots of(ReportData data) {
        List<Plot> va = new ArrayList<>();
        data.vaPoints().filter(p -> p.size() > 0).ifPresent(points -> {
            va.add(VaDensityPlot.of(points, SUBSAMPLE_SEED));
            data.va().ifPresent(scores -> va.add(VaAgreementPlot.of(points, scores, SUBSAMPLE_SEED)));
        });
        List<Plot> expr = data.expr().flatMap(ExprScores::confusionMatrix)
                .map(cm -> List.of(ConfusionMatrixPlot.of(data.expr().get().classes(), cm))).orElse(List.of());
        List<Plot> au = data.au().map(a -> List.of(AuF1Plot.of(a))).orElse(List.of());
        return new ReportPlots(va, expr, au, TrainingCurvesPlot.of(data.history()));
    }

    public List<Plot> all() {
        List<Plot> all = new ArrayList<>(va);
        all.addAll(expr);
        all.addAll(au);
        all.addAll(training);
        return all;
    }
}
