package dev.affect.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every value of training/metrics/metrics.json and metrics/zero_division/metrics.json (sklearn 1.2.1, float64). */
class MetricsFixtureTest {
    static final double TOL = 1e-6;

    @Test
    void vaCccAndPvaMatchTheFixture() throws IOException {
        Path dir = SharedFixtures.dir("training/metrics");
        JsonNode va = json(dir).get("va");
        VaMetrics m = VaMetrics.ofRows(NpyReader.read(dir.resolve("va_pred.npy")).toFloatArray(),
                NpyReader.read(dir.resolve("va_true.npy")).toFloatArray());
        assertEquals(va.get("n_frames").asInt(), m.nFrames());
        assertEquals(va.get("ccc_valence").asDouble(), m.cccValence(), TOL);
        assertEquals(va.get("ccc_arousal").asDouble(), m.cccArousal(), TOL);
        assertEquals(va.get("p_va").asDouble(), m.pVa(), TOL);
    }

    @Test
    void exprMatchesTheFixture() throws IOException {
        checkExpr(SharedFixtures.dir("training/metrics"));
    }

    @Test
    void exprZeroDivisionCornersMatchTheFixture() throws IOException {
        checkExpr(SharedFixtures.dir("training/metrics/zero_division"));
    }

    @Test
    void auMatchesTheFixture() throws IOException {
        checkAu(SharedFixtures.dir("training/metrics"));
    }

    @Test
    void auZeroDivisionCornersMatchTheFixture() throws IOException {
        checkAu(SharedFixtures.dir("training/metrics/zero_division"));
    }

    private static void checkExpr(Path dir) throws IOException {
        JsonNode e = json(dir).get("expr");
        ExprMetrics m = ExprMetrics.of(NpyReader.read(dir.resolve("expr_pred.npy")).toLongArray(),
                NpyReader.read(dir.resolve("expr_true.npy")).toLongArray());
        assertEquals(e.get("n_frames").asInt(), m.nFrames());
        assertEquals(e.get("f1_macro").asDouble(), m.f1Macro(), TOL);
        assertEquals(e.get("accuracy").asDouble(), m.accuracy(), TOL);
        assertArrayEquals(doubles(e.get("per_class_f1")), m.perClassF1(), TOL);
        for (int c = 0; c < ExprMetrics.NUM_CLASSES; c++) {
            assertArrayEquals(longs(e.get("confusion_matrix").get(c)), m.confusionMatrix()[c], "confusion row " + c);
        }
        if (e.has("per_class_precision")) {
            assertArrayEquals(doubles(e.get("per_class_precision")), m.perClassPrecision(), TOL);
            assertArrayEquals(doubles(e.get("per_class_recall")), m.perClassRecall(), TOL);
            assertArrayEquals(longs(e.get("support")), m.support());
            assertArrayEquals(longs(e.get("predicted")), m.predicted());
        }
    }

    private static void checkAu(Path dir) throws IOException {
        JsonNode a = json(dir).get("au");
        float[] prob = NpyReader.read(dir.resolve("au_prob.npy")).toFloatArray();
        long[] truth = NpyReader.read(dir.resolve("au_true.npy")).toLongArray();
        int aus = a.get("f1_per_au").size();
        AuMetrics m = AuMetrics.of(prob, truth, aus);
        assertEquals(a.get("n_frames").asInt(), m.nFrames());
        assertEquals(a.get("threshold").asDouble(), AuMetrics.THRESHOLD);
        List<Double> searched = new ArrayList<>();
        a.get("thresholds_searched").forEach(t -> searched.add(t.asDouble()));
        assertEquals(searched, AuMetrics.THRESHOLDS);
        assertArrayEquals(doubles(a.get("f1_per_au")), m.f1PerAu(), TOL);
        assertEquals(a.get("f1_mean").asDouble(), m.f1Mean(), TOL);
        for (int k = 0; k < aus; k++) {
            assertArrayEquals(doubles(a.get("f1_grid").get(k)), m.f1Grid()[k], TOL, "f1_grid AU " + k);
        }
        assertArrayEquals(doubles(a.get("best_thresholds")), m.bestThresholds(), 0.0);
        assertArrayEquals(doubles(a.get("f1_per_au_optimized")), m.f1PerAuOptimized(), TOL);
        assertEquals(a.get("f1_mean_optimized").asDouble(), m.f1MeanOptimized(), TOL);
        Map<Integer, List<Double>> ties = new TreeMap<>();
        a.get("tied_best_thresholds").properties().forEach(en -> {
            List<Double> t = new ArrayList<>();
            en.getValue().forEach(v -> t.add(v.asDouble()));
            ties.put(Integer.parseInt(en.getKey()), t);
        });
        assertEquals(ties, m.tiedBestThresholds());
        if (a.has("au_counts_grid")) {
            for (int k = 0; k < aus; k++) {
                for (int t = 0; t < AuMetrics.THRESHOLDS.size(); t++) {
                    JsonNode c = a.get("au_counts_grid").get(k).get(t);
                    assertEquals(new BinaryCounts(c.get(0).asLong(), c.get(1).asLong(), c.get(2).asLong()),
                            m.countsGrid()[k][t], "counts AU " + k + " threshold " + AuMetrics.THRESHOLDS.get(t));
                }
            }
        }
    }

    private static JsonNode json(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    private static long[] longs(JsonNode array) {
        long[] d = new long[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asLong();
        }
        return d;
    }
}
