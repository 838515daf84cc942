package dev.affect.report.plot;

import dev.affect.report.Subsample;
import dev.affect.report.VaPoints;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Where frames lie in the valence-arousal plane, annotations and predictions side by side: a scatter
 * coloured by local density (the frame count of its cell in a {@value #BINS}x{@value #BINS} grid over
 * [-1,1]^2, counted over all frames), in four bands by rank, densest drawn last. A model that collapses
 * to the mean shows as a tight blob on the right where the left panel is spread out.
 */
public final class VaDensityPlot {
    static final int PANEL = 520;
    static final int BINS = 40;
    /** Frames drawn per panel; density still counts every frame. */
    public static final int MAX_POINTS = 6000;
    private static final Color[] BANDS = {
        new Color(0xBDD7E7), new Color(0x6BAED6), new Color(0x2171B5), new Color(0x08306B)};
    private static final String[] BAND_NAMES = {"sparsest 25%", "25-50%", "50-75%", "densest 25%"};

    private VaDensityPlot() {
    }

    public static Plot of(VaPoints points, long seed) {
        BufferedImage labels = panel("Annotations", points.trueValence(), points.trueArousal(), seed);
        BufferedImage predictions = panel("Predictions", points.predValence(), points.predArousal(), seed);
        return new Plot("va-density", "Valence-arousal density",
                "Two scatter plots of arousal against valence over [-1, 1], left the annotations and right the "
                        + "predictions of the same " + points.size() + " frames, coloured darker where frames are denser.",
                ChartImages.sideBySide(labels, predictions));
    }

    private static BufferedImage panel(String title, float[] valence, float[] arousal, long seed) {
        int[] cellCount = new int[BINS * BINS];
        for (int i = 0; i < valence.length; i++) {
            cellCount[cell(valence[i], arousal[i])]++;
        }
        // both panels draw the same frames: same count, same seed
        int[] drawn = Subsample.indices(valence.length, MAX_POINTS, seed);
        // rank the drawn frames by the density of their cell; quarter k of the ranking is band k
        Integer[] order = IntStream.of(drawn).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> cellCount[cell(valence[i], arousal[i])]));
        XYChart chart = new XYChartBuilder().width(PANEL).height(PANEL).title(title)
                .xAxisTitle("valence").yAxisTitle("arousal").build();
        ChartImages.style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setXAxisMin(-1.0).setXAxisMax(1.0).setYAxisMin(-1.0).setYAxisMax(1.0)
                .setMarkerSize(4).setSeriesColors(BANDS);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
        for (int band = 0; band < BANDS.length; band++) {
            int from = order.length * band / BANDS.length;
            int to = order.length * (band + 1) / BANDS.length;
            if (from == to) {
                continue;
            }
            double[] x = new double[to - from];
            double[] y = new double[to - from];
            for (int k = from; k < to; k++) {
                x[k - from] = valence[order[k]];
                y[k - from] = arousal[order[k]];
            }
            chart.addSeries(BAND_NAMES[band], x, y).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(BANDS[band]);
        }
        return ChartImages.render(chart);
    }

    /** The grid cell of a point; values outside [-1,1] count in the edge cells. */
    static int cell(float valence, float arousal) {
        return bin(arousal) * BINS + bin(valence);
    }

    private static int bin(float v) {
        int b = (int) Math.floor((v + 1f) / 2f * BINS);
        return Math.clamp(b, 0, BINS - 1);
    }
}
