package dev.affect.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.heads.Task;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfusionMatrixPlotTest {
    private static final List<String> CLASSES = Task.EXPR.labels();
    /** A cell is ~70x60 px; text and anti-aliased edges never cover this much in one colour. */
    private static final int CELL_PIXELS = 1500;

    @Test
    void cellsWhoseSharesDifferHaveDifferentColours() throws Exception {
        // row t: share of the diagonal falls from 100% to 30%, the rest of the row goes to the next class
        long[][] graded = new long[8][8];
        for (int t = 0; t < 8; t++) {
            graded[t][t] = 100 - 10L * t;
            graded[t][(t + 1) % 8] = 10L * t;
        }
        Map<Integer, Integer> cells = cellColours(ConfusionMatrixPlot.of(CLASSES, graded));
        // shares 100, 90, ..., 30 on the diagonal and 10..70 beside it: 10 distinct non-zero shares
        assertTrue(cells.size() >= 8, "distinct cell colours " + hex(cells));

        long[][] perfect = new long[8][8];
        for (int t = 0; t < 8; t++) {
            perfect[t][t] = 5 + t;
        }
        // every cell is 100% or 0%: one cell colour (0% is white, not chromatic)
        Map<Integer, Integer> two = cellColours(ConfusionMatrixPlot.of(CLASSES, perfect));
        assertEquals(1, two.size(), "cell colours " + hex(two));
    }

    @Test
    void countsAreSharesOfTheTrueClassSoARareClassIsAsDarkAsACommonOne() throws Exception {
        long[][] cm = new long[8][8];
        cm[0][0] = 100_000;
        cm[3][3] = 3;
        Map<Integer, Integer> cells = cellColours(ConfusionMatrixPlot.of(CLASSES, cm));
        assertEquals(1, cells.size(), hex(cells));
        int pixels = cells.values().iterator().next();
        long[][] one = new long[8][8];
        one[0][0] = 7;
        int single = cellColours(ConfusionMatrixPlot.of(CLASSES, one)).values().iterator().next();
        // two full cells against one, give or take the digits drawn on them
        assertEquals(2.0, (double) pixels / single, 0.2);
    }

    @Test
    void pngHasTheChartSizeAndAltTextNamesEachClassRecall() throws Exception {
        long[][] cm = new long[8][8];
        cm[1][1] = 3;
        cm[1][2] = 1;
        Plot plot = ConfusionMatrixPlot.of(CLASSES, cm);
        BufferedImage image = Pixels.decodedPng(plot);
        assertEquals(ConfusionMatrixPlot.WIDTH, image.getWidth());
        assertEquals(ConfusionMatrixPlot.HEIGHT, image.getHeight());
        assertTrue(plot.alt().contains("Anger 75%"), plot.alt());
        assertTrue(plot.alt().contains("Neutral no frames"), plot.alt());
    }

    private static Map<Integer, Integer> cellColours(Plot plot) throws Exception {
        return Pixels.histogram(Pixels.decodedPng(plot)).entrySet().stream()
                .filter(e -> Pixels.chromatic(e.getKey()) && e.getValue() >= CELL_PIXELS)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String hex(Map<Integer, Integer> colours) {
        return colours.entrySet().stream().map(e -> String.format("#%06x x%d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
