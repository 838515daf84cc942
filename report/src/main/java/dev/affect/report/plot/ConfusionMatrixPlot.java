package dev.affect.report.plot;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * The expression confusion matrix as a heat map: true class on the vertical axis (first class at the
 * top), predicted class across. Each cell shows and is coloured by its share of the true class (row
 * per cent), so a rare class reads as clearly as Neutral; the counts go in the page's table.
 */
public final class ConfusionMatrixPlot {
    static final int WIDTH = 760;
    static final int HEIGHT = 640;
    /** White (never predicted) to a mid blue that black digits stay readable on. */
    private static final Color[] RAMP = {Color.WHITE, new Color(0xC6DBEF), new Color(0x6BAED6), new Color(0x3182BD)};

    private ConfusionMatrixPlot() {
    }

    /** @param cm rows = true class, columns = predicted class, in {@code classes} order */
    public static Plot of(List<String> classes, long[][] cm) {
        int n = classes.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Expression confusion matrix (% of each true class)")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        ChartImages.style(chart.getStyler());
        chart.getStyler().setShowValue(true).setMin(0).setMax(100).setRangeColors(RAMP)
                .setHeatMapValueDecimalPattern("0").setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setValueFontColor(Color.BLACK);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendVisible(false);
        List<String> rowsBottomUp = new ArrayList<>(classes).reversed();
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long support = 0;
            for (long c : cm[t]) {
                support += c;
            }
            for (int p = 0; p < n; p++) {
                double share = support == 0 ? 0 : 100.0 * cm[t][p] / support;
                cells.add(new Number[] {p, n - 1 - t, share});
            }
        }
        chart.addSeries("share of true class", classes, rowsBottomUp, cells);
        return new Plot("confusion-matrix", "Confusion matrix", alt(classes, cm), ChartImages.render(chart));
    }

    /** The diagonal in words: what a reader who cannot see the colours needs most. */
    private static String alt(List<String> classes, long[][] cm) {
        StringBuilder s = new StringBuilder("Expression confusion matrix, rows true class, columns predicted; "
                + "share of each true class predicted correctly: ");
        for (int t = 0; t < classes.size(); t++) {
            long support = 0;
            for (long c : cm[t]) {
                support += c;
            }
            s.append(t == 0 ? "" : ", ").append(classes.get(t)).append(' ')
                    .append(support == 0 ? "no frames" : String.format(Locale.ROOT, "%.0f%%", 100.0 * cm[t][t] / support));
        }
        return s.append('.').toString();
    }
}
