package dev.affect.report.plot;

import dev.affect.report.Subsample;
import dev.affect.report.VaPoints;
import dev.affect.report.VaScores;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Predicted against annotated value per frame, valence and arousal side by side, with the identity
 * line: CCC rewards points on that line, so the spread around it is what the score measures.
 */
public final class VaAgreementPlot {
    static final int PANEL = 520;
    private static final Color POINT = new Color(0x0072B2, false);
    private static final Color IDENTITY = new Color(0xD55E00);

    private VaAgreementPlot() {
    }

    public static Plot of(VaPoints points, VaScores scores, long seed) {
        int[] drawn = Subsample.indices(points.size(), VaDensityPlot.MAX_POINTS, seed);
        BufferedImage valence = panel(String.format(Locale.ROOT, "Valence (CCC %.3f)", scores.cccValence()),
                "valence", points.trueValence(), points.predValence(), drawn);
        BufferedImage arousal = panel(String.format(Locale.ROOT, "Arousal (CCC %.3f)", scores.cccArousal()),
                "arousal", points.trueArousal(), points.predArousal(), drawn);
        return new Plot("va-agreement", "Predicted against annotated valence and arousal",
                "Two scatter plots, predicted against annotated valence (left) and arousal (right) per frame, "
                        + drawn.length + " of " + points.size() + " frames, with the line where prediction equals "
                        + "annotation.", ChartImages.sideBySide(valence, arousal));
    }

    private static BufferedImage panel(String title, String axis, float[] truth, float[] pred, int[] drawn) {
        XYChart chart = new XYChartBuilder().width(PANEL).height(PANEL).title(title)
                .xAxisTitle("annotated " + axis).yAxisTitle("predicted " + axis).build();
        ChartImages.style(chart.getStyler());
        chart.getStyler().setXAxisMin(-1.0).setXAxisMax(1.0).setYAxisMin(-1.0).setYAxisMax(1.0).setMarkerSize(3);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
        double[] x = new double[drawn.length];
        double[] y = new double[drawn.length];
        for (int k = 0; k < drawn.length; k++) {
            x[k] = truth[drawn[k]];
            y[k] = pred[drawn[k]];
        }
        chart.addSeries("frames", x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setMarker(SeriesMarkers.CIRCLE).setMarkerColor(POINT);
        chart.addSeries("prediction = annotation", new double[] {-1, 1}, new double[] {-1, 1})
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
                .setLineColor(IDENTITY);
        return ChartImages.render(chart);
    }
}
