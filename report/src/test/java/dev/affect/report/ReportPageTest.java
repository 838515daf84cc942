package dev.affect.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.report.plot.Plot;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\" <b>bold</b>";

    @Test
    void everyStringFromTheDataIsEscapedText() {
        String attribute = "\" onerror=\"alert(1)";
        ReportData data = ReportData.titled(HOSTILE).withContext("pipeline", HOSTILE).withContext(attribute, "<img src=x>")
                .withHistory(new TrainingHistory(List.of(
                        new TrainingSeries("</table><h1>loss</h1>", "step<", new double[] {1}, new double[] {2}))));
        Plot plot = new Plot("p", HOSTILE, attribute, new BufferedImage(10, 20, BufferedImage.TYPE_INT_RGB));
        String html = ReportPage.html(data, new ReportPlots(List.of(), List.of(), List.of(), List.of(plot)));

        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("<b>bold"), html);
        assertFalse(html.contains("<img src=x>"), html);
        Document doc = Jsoup.parse(html);
        // only the page's own script, one h1 and no element the data smuggled in
        assertEquals(1, doc.select("script").size());
        assertEquals(1, doc.select("h1").size());
        assertEquals(0, doc.select("b").size());
        assertEquals(1, doc.select("img").size());
        assertEquals(HOSTILE, doc.title());
        assertEquals(HOSTILE, doc.selectFirst("h1").text());
        assertEquals(HOSTILE, doc.selectFirst("figcaption").text());
        Element img = doc.selectFirst("img");
        assertEquals(attribute, img.attr("alt"));
        assertFalse(img.hasAttr("onerror"));
        assertTrue(doc.select("td").eachText().contains("</table><h1>loss</h1>"), doc.select("td").eachText().toString());
        assertTrue(doc.select("th").eachText().contains(attribute));
    }

    @Test
    void imagesHaveSizesAltTextAndLocalSourcesAndThePageNamesNoExternalUrl() {
        ReportData data = SampleReports.evaluation(300, 2);
        ReportPlots plots = ReportPlots.of(data);
        Document doc = Jsoup.parse(ReportPage.html(data, plots));
        List<Element> images = doc.select("img");
        assertEquals(plots.all().size(), images.size());
        for (int i = 0; i < images.size(); i++) {
            Plot p = plots.all().get(i);
            Element img = images.get(i);
            assertEquals("plots/" + p.name() + ".png", img.attr("src"));
            assertEquals(Integer.toString(p.width()), img.attr("width"));
            assertEquals(Integer.toString(p.height()), img.attr("height"));
            assertFalse(img.attr("alt").isBlank(), p.name());
        }
        assertEquals(List.of(), doc.select("[src~=(?i)^(https?:|//)], [href~=(?i)^(https?:|//)], link").eachAttr("src"));
        assertEquals(0, doc.select("link").size());
        assertEquals(List.of("va", "expr", "au", "training"), doc.select("section").eachAttr("id"));
    }

    @Test
    void tablesCarryTheChallengeMetricsAndNanStaysVisible() {
        ReportData data = ReportData.titled("t").withVa(new VaScores(10, Double.NaN, 0.5, Double.NaN));
        Document doc = Jsoup.parse(ReportPage.html(data, ReportPlots.of(data)));
        List<String> cells = doc.select("section#va td").eachText();
        assertEquals(List.of("P_VA (mean CCC, challenge metric)", "NaN", "CCC valence", "NaN", "CCC arousal", "0.5000"),
                cells.subList(0, 6));
        assertEquals(0, doc.select("img").size());
    }
}
