package dev.affect.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written report opened in a real browser: every figure decodes and the page shows something. */
class ReportInChromiumTest {

    @Test
    void everyFigureDecodesInChromiumAndThePageIsNotBlank(@TempDir Path tmp) throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.find(tmp);
        assumeTrue(chromium.isPresent(), "chromium is not installed (Debian package 'chromium'); the browser check is skipped");
        ReportWriter.Written written = ReportWriter.write(SampleReports.evaluation(2000, 7), tmp.resolve("report"));

        Document dom = Jsoup.parse(chromium.get().dumpDom(written.html()));
        Element body = dom.body();
        assertEquals(Integer.toString(written.plots().size()), body.attr("data-images-total"), dom.outerHtml());
        assertEquals(Integer.toString(written.plots().size()), body.attr("data-images-decoded"),
                "images that failed to decode in chromium");
        assertTrue(written.plots().size() >= 6, "plots: " + written.plots());

        Path shot = tmp.resolve("screenshot.png");
        chromium.get().screenshot(written.html(), shot, 1200, 2400);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1200, image.getWidth());
        // a blank page is one colour; text, tables and charts give hundreds
        Set<Integer> colours = new HashSet<>();
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF) < 3 * 128) {
                    dark++;
                }
            }
        }
        assertTrue(colours.size() > 50, "distinct colours in the screenshot: " + colours.size());
        assertTrue(dark > 1000, "dark pixels in the screenshot (text, chart ink): " + dark);
    }
}
