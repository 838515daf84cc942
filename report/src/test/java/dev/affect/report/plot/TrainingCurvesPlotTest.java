package dev.affect.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.report.TrainingHistory;
import dev.affect.report.TrainingSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingCurvesPlotTest {

    @Test
    void oneChartPerXUnitWithUniqueFileNames() throws Exception {
        TrainingHistory h = new TrainingHistory(List.of(
                new TrainingSeries("train loss", "step", new double[] {1, 2, 3}, new double[] {3, 2, 1}),
                new TrainingSeries("val P_VA", "Epoch", new double[] {1, 2}, new double[] {0.1, 0.2}),
                new TrainingSeries("val F1", "epoch!", new double[] {1, 2}, new double[] {0.3, 0.4}),
                new TrainingSeries("val AU F1", "Epoch", new double[] {1, 2}, new double[] {0.5, 0.6})));
        List<Plot> plots = TrainingCurvesPlot.of(h);
        // "Epoch" and "epoch!" are different units whose file names would collide
        assertEquals(List.of("training-step", "training-epoch", "training-epoch-2"), plots.stream().map(Plot::name).toList());
        assertTrue(plots.get(1).alt().contains("val P_VA, val AU F1"), plots.get(1).alt());
        for (Plot p : plots) {
            Pixels.decodedPng(p);
            assertTrue(Pixels.ink(p.image()) > 5_000, p.name());
        }
    }

    @Test
    void nonFiniteValuesAreLeftOutAndAnAllNanCurveDrawsNoChart() {
        TrainingHistory diverged = new TrainingHistory(List.of(
                new TrainingSeries("loss", "step", new double[] {1, 2}, new double[] {Double.NaN, Double.POSITIVE_INFINITY})));
        assertEquals(List.of(), TrainingCurvesPlot.of(diverged));
        TrainingHistory partly = new TrainingHistory(List.of(
                new TrainingSeries("loss", "step", new double[] {1, 2, 3}, new double[] {2, Double.NaN, 1})));
        assertEquals(1, TrainingCurvesPlot.of(partly).size());
        assertEquals(List.of(), TrainingCurvesPlot.of(TrainingHistory.NONE));
    }

    @Test
    void unitsBecomeFileNameSafe() {
        assertEquals("epoch", TrainingCurvesPlot.slug("Epoch #"));
        assertEquals("x", TrainingCurvesPlot.slug("<>"));
        assertEquals("global-step", TrainingCurvesPlot.slug("global step"));
    }
}
