package dev.affect.report.plot;

import dev.affect.report.TrainingHistory;
import dev.affect.report.TrainingSeries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training curves, one line chart per x unit (per-step loss apart from per-epoch validation scores). */
public final class TrainingCurvesPlot {
    static final int WIDTH = 900;
    static final int HEIGHT = 460;
    /** Points drawn per curve; a long per-step loss is thinned evenly (a line of 1e5 points is just ink). */
    public static final int MAX_POINTS = 4000;

    private TrainingCurvesPlot() {
    }

    /** One plot per x unit; none for an empty history or for units whose curves hold no finite point. */
    public static List<Plot> of(TrainingHistory history) {
        List<Plot> plots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, List<TrainingSeries>> group : history.byXUnit().entrySet()) {
            String unit = group.getKey();
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Training curves per " + unit)
                    .xAxisTitle(unit).yAxisTitle("value").build();
            ChartImages.style(chart.getStyler());
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
            chart.getStyler().setXAxisLabelRotation(45);
            int drawn = 0;
            for (TrainingSeries s : group.getValue()) {
                double[][] xy = finite(s);
                if (xy[0].length == 0) {
                    continue;
                }
                // a one-point curve (a single epoch) is invisible as a line, so it gets a marker
                chart.addSeries(s.name(), xy[0], xy[1]).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line)
                        .setMarker(xy[0].length <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                drawn++;
            }
            if (drawn == 0) {
                continue;
            }
            String curves = group.getValue().stream().map(TrainingSeries::name).collect(Collectors.joining(", "));
            plots.add(new Plot(uniqueName("training-" + slug(unit), names), "Training curves per " + unit,
                    "Line chart of " + curves + " against " + unit + ".", ChartImages.render(chart)));
        }
        return plots;
    }

    /** The finite points of a curve, thinned to at most {@link #MAX_POINTS} (first and last always kept). */
    private static double[][] finite(TrainingSeries s) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (Double.isFinite(s.ys()[i])) {
                ok.add(i);
            }
        }
        int[] keep = thin(ok.size());
        double[][] xy = new double[2][keep.length];
        for (int k = 0; k < keep.length; k++) {
            int i = ok.get(keep[k]);
            xy[0][k] = s.xs()[i];
            xy[1][k] = s.ys()[i];
        }
        return xy;
    }

    private static int[] thin(int n) {
        if (n <= MAX_POINTS) {
            return IntStream.range(0, n).toArray();
        }
        int[] keep = new int[MAX_POINTS];
        for (int k = 0; k < MAX_POINTS; k++) {
            keep[k] = (int) Math.round((double) k * (n - 1) / (MAX_POINTS - 1));
        }
        return keep;
    }

    /** A file-name-safe form of a user's x unit ("Epoch #" -> "epoch"). */
    static String slug(String unit) {
        String s = unit.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "x" : s;
    }

    private static String uniqueName(String base, Set<String> taken) {
        String name = base;
        for (int k = 2; !taken.add(name); k++) {
            name = base + "-" + k;
        }
        return name;
    }
}
