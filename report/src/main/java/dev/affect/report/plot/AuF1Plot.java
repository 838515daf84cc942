package dev.affect.report.plot;

import dev.affect.report.AuScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * F1 per action unit, two bars each: at the fixed 0.5 threshold (the challenge metric) and at the
 * AU's searched threshold, which the category label names ({@code AU12 @0.3}).
 */
public final class AuF1Plot {
    static final int WIDTH = 900;
    static final int HEIGHT = 480;

    private AuF1Plot() {
    }

    public static Plot of(AuScores scores) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Action-unit F1 (mean %.3f at 0.5, %.3f at searched thresholds)",
                        scores.f1Mean(), scores.f1MeanOptimized()))
                .xAxisTitle("action unit @ searched threshold").yAxisTitle("F1").build();
        ChartImages.style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisLabelRotation(45)
                .setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<String> categories = new ArrayList<>();
        List<Double> fixed = new ArrayList<>();
        List<Double> searched = new ArrayList<>();
        for (int a = 0; a < scores.aus().size(); a++) {
            categories.add(String.format(Locale.ROOT, "%s @%.1f", scores.aus().get(a), scores.thresholds()[a]));
            fixed.add(scores.f1PerAu()[a]);
            searched.add(scores.f1PerAuOptimized()[a]);
        }
        chart.addSeries("F1 at 0.5", categories, fixed);
        chart.addSeries("F1 at searched threshold", categories, searched);
        return new Plot("au-f1", "Action-unit F1 and thresholds", alt(scores), ChartImages.render(chart));
    }

    private static String alt(AuScores s) {
        StringBuilder text = new StringBuilder("Bar chart of F1 per action unit at threshold 0.5 and at its searched "
                + "threshold: ");
        for (int a = 0; a < s.aus().size(); a++) {
            text.append(a == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %.2f, %.2f at %.1f",
                    s.aus().get(a), s.f1PerAu()[a], s.f1PerAuOptimized()[a], s.thresholds()[a]));
        }
        return text.append('.').toString();
    }
}
