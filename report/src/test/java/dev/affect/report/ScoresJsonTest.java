package dev.affect.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void reportJsonReadsBackToTheSameScoresContextAndHistory(@TempDir Path tmp) throws Exception {
        ReportData data = SampleReports.evaluation(500, 3);
        ReportWriter.Written written = ReportWriter.write(data, tmp);
        ReportData back = ScoresJson.read(written.json(), "ignored");

        assertEquals(data.title(), back.title());
        assertEquals(data.context(), back.context());
        assertEquals(data.va(), back.va());
        ExprScores e = data.expr().orElseThrow();
        ExprScores eb = back.expr().orElseThrow();
        assertEquals(e.f1Macro(), eb.f1Macro());
        assertArrayEquals(e.perClassF1(), eb.perClassF1());
        assertArrayEquals(e.confusionMatrix().orElseThrow(), eb.confusionMatrix().orElseThrow());
        AuScores a = data.au().orElseThrow();
        AuScores ab = back.au().orElseThrow();
        assertArrayEquals(a.thresholds(), ab.thresholds());
        assertArrayEquals(a.f1PerAuOptimized(), ab.f1PerAuOptimized());
        assertEquals(a.f1Mean(), ab.f1Mean());
        assertEquals(data.history().series().size(), back.history().series().size());
        assertArrayEquals(data.history().series().getFirst().ys(), back.history().series().getFirst().ys());
    }

    @Test
    void scoreOutputOfOneTaskAndNanWrittenAsAString() {
        JsonNode va = node("{\"task\":\"VA\",\"videos\":2,\"n_frames\":40,\"ccc_valence\":\"NaN\",\"ccc_arousal\":0.25,"
                + "\"p_va\":\"NaN\"}");
        ReportData data = ScoresJson.parse("va.json", va, "Scores");
        VaScores s = data.va().orElseThrow();
        assertTrue(Double.isNaN(s.cccValence()));
        assertEquals(0.25, s.cccArousal());
        assertEquals(40, s.nFrames());
        assertEquals("2", data.context().get("videos"));
        assertTrue(data.expr().isEmpty() && data.au().isEmpty());
    }

    @Test
    void anExprEntryWithoutConfusionMatrixIsFine() {
        JsonNode m = node("{\"split\":\"validation\",\"tasks\":{\"EXPR\":{\"n_frames\":5,\"f1_macro\":0.5,\"accuracy\":0.6,"
                + "\"per_class_f1\":{\"Neutral\":1,\"Anger\":0,\"Disgust\":0,\"Fear\":0,\"Happiness\":0,\"Sadness\":0,"
                + "\"Surprise\":0,\"Other\":0}}}}");
        ExprScores e = ScoresJson.parse("m", m, "t").expr().orElseThrow();
        assertTrue(e.confusionMatrix().isEmpty());
        assertEquals(1.0, e.perClassF1()[0]);
    }

    @Test
    void malformedScoresNameTheField(@TempDir Path tmp) throws Exception {
        assertEquals("m: tasks.VA.ccc_arousal", assertThrows(InvalidInputException.class, () -> ScoresJson.parse("m",
                node("{\"tasks\":{\"VA\":{\"n_frames\":1,\"ccc_valence\":0.1,\"ccc_arousal\":\"high\",\"p_va\":0}}}"), "t"))
                .field());
        assertEquals("m: tasks.MOOD", assertThrows(InvalidInputException.class, () -> ScoresJson.parse("m",
                node("{\"tasks\":{\"MOOD\":{}}}"), "t")).field());
        assertTrue(assertThrows(InvalidInputException.class, () -> ScoresJson.parse("m", node("[1,2]"), "t"))
                .getMessage().contains("\"tasks\""));
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{nope");
        assertTrue(assertThrows(InvalidInputException.class, () -> ScoresJson.read(bad, "t")).getMessage()
                .startsWith(bad + ": not JSON"));
        assertTrue(assertThrows(InvalidInputException.class, () -> ScoresJson.read(tmp.resolve("none.json"), "t"))
                .getMessage().endsWith("no such file"));
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
