package dev.affect.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.heads.Task;
import dev.affect.report.AuScores;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AuF1PlotTest {

    @Test
    void barsGrowWithF1AndTheLabelsCarryTheThresholds() throws Exception {
        Plot low = AuF1Plot.of(scores(0.3, 0.2));
        Plot high = AuF1Plot.of(scores(0.6, 0.2));
        BufferedImage image = Pixels.decodedPng(high);
        assertEquals(AuF1Plot.WIDTH, image.getWidth());
        assertEquals(AuF1Plot.HEIGHT, image.getHeight());
        int first = ChartImages.SERIES[0].getRGB() & 0xFFFFFF;
        int lowBars = Pixels.histogram(Pixels.decodedPng(low)).getOrDefault(first, 0);
        int highBars = Pixels.histogram(image).getOrDefault(first, 0);
        // bar area is proportional to F1 (the legend swatch adds a little to both)
        assertEquals(2.0, (double) highBars / lowBars, 0.15, "bar pixels " + lowBars + " -> " + highBars);
        assertTrue(high.alt().contains("AU12 0.60, 0.90 at 0.2"), high.alt());
    }

    private static AuScores scores(double f1, double threshold) {
        int n = Task.AU.outputSize();
        double[] f = new double[n];
        Arrays.fill(f, f1);
        double[] t = new double[n];
        Arrays.fill(t, threshold);
        double[] best = new double[n];
        Arrays.fill(best, 0.9);
        return new AuScores(100, Task.AU.labels(), f1, f, 0.9, t, best);
    }

}
