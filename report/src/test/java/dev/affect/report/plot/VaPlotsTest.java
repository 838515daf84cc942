package dev.affect.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.report.VaPoints;
import dev.affect.report.VaScores;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VaPlotsTest {

    @Test
    void densityPanelsShowAnnotationsLeftAndPredictionsRight() throws Exception {
        int n = 3000;
        SplittableRandom r = new SplittableRandom(1);
        float[] tv = new float[n];
        float[] ta = new float[n];
        for (int i = 0; i < n; i++) {
            tv[i] = (float) (r.nextDouble() * 2 - 1);
            ta[i] = (float) (r.nextDouble() * 2 - 1);
        }
        // a model that always answers (0, 0): one dot on the right, a filled square on the left
        float[] zero = new float[n];
        Plot plot = VaDensityPlot.of(new VaPoints(zero, zero, tv, ta), 3);
        BufferedImage image = Pixels.decodedPng(plot);
        assertEquals(2 * VaDensityPlot.PANEL, image.getWidth());
        assertEquals(VaDensityPlot.PANEL, image.getHeight());
        long left = Pixels.ink(image.getSubimage(0, 0, VaDensityPlot.PANEL, VaDensityPlot.PANEL));
        long right = Pixels.ink(image.getSubimage(VaDensityPlot.PANEL, 0, VaDensityPlot.PANEL, VaDensityPlot.PANEL));
        assertTrue(left > right + 30_000, "ink left " + left + ", right " + right);
        assertTrue(plot.alt().contains(n + " frames"), plot.alt());
    }

    @Test
    void densityCellsClampValuesOutsideTheSquare() {
        assertEquals(VaDensityPlot.cell(-1f, -1f), VaDensityPlot.cell(-7f, -1.5f));
        assertEquals(VaDensityPlot.BINS * VaDensityPlot.BINS - 1, VaDensityPlot.cell(1f, 1f));
        assertEquals(VaDensityPlot.BINS * VaDensityPlot.BINS - 1, VaDensityPlot.cell(3f, 9f));
    }

    @Test
    void agreementPlotNamesTheCccsAndDrawsAsManyFramesAsAllowed() throws Exception {
        int n = VaDensityPlot.MAX_POINTS * 3;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i);
        }
        Plot plot = VaAgreementPlot.of(new VaPoints(v, v, v, v), new VaScores(n, 1, 1, 1), 5);
        BufferedImage image = Pixels.decodedPng(plot);
        assertEquals(2 * VaAgreementPlot.PANEL, image.getWidth());
        assertTrue(plot.alt().contains(VaDensityPlot.MAX_POINTS + " of " + n + " frames"), plot.alt());
        assertTrue(Pixels.ink(image) > 20_000, "ink " + Pixels.ink(image));
    }
}
