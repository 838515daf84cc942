package dev.affect.cli.benchtrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pairing affect's figures with the peer's rows: ratios, targets, and what is said when a side is missing. */
class TrainBenchReportTest {
    static final String BACKEND = "oneDNN 3.13.0, avx2, 2 threads, f32";

    static JsonNode peerRow(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    static TorchPeer.Result peer() throws Exception {
        return new TorchPeer.Result(List.of(
                peerRow("{\"workload\":\"head\",\"head\":\"fc\",\"task\":\"va\",\"frames_per_step\":320,\"frames_per_second\":1000.0,"
                        + "\"torch\":\"1.13\",\"threads\":2,\"cpu_capability\":\"AVX2\",\"blas\":\"libblas\"}"),
                peerRow("{\"workload\":\"head\",\"head\":\"lstm\",\"task\":\"va\",\"frames_per_step\":320,\"frames_per_second\":500.0}"),
                peerRow("{\"workload\":\"ddamfn\",\"frames_per_step\":32,\"frames_per_second\":40.0}")), null);
    }

    @Test
    void ratioIsAffectOverPyTorchPerWorkloadAgainstTheIssuesTargets() throws Exception {
        // fc va: 320 frames in a 100 ms median step = 3200 fps, 3.2x the peer's 1000 (target 2x)
        Measured fc = Measured.of(WorkloadKey.head("fc", "va"), new StepFigures(320, new double[] {300, 100, 90}));
        // ddamfn: 32 frames in 1 s = 32 fps, 0.8x the peer's 40 (target 1x)
        Measured ddamfn = Measured.of(WorkloadKey.ddamfn(), new StepFigures(32, new double[] {1000}));
        TrainBenchReport report = new TrainBenchReport(2, BACKEND, List.of(fc, ddamfn), peer());
        JsonNode s = new ObjectMapper().readTree(report.json());
        JsonNode first = s.get("results").get(0);
        assertEquals(3.2, first.get("throughput_ratio_affect_over_pytorch").asDouble(), 1e-12);
        assertEquals(2.0, first.get("target_ratio").asDouble());
        assertTrue(first.get("meets_target").asBoolean());
        assertEquals("fc", first.get("pytorch").get("head").asText(), "paired with the fc row, not the lstm one");
        JsonNode second = s.get("results").get(1);
        assertEquals(0.8, second.get("throughput_ratio_affect_over_pytorch").asDouble(), 1e-12);
        assertFalse(second.get("meets_target").asBoolean());
        assertEquals(BACKEND, s.get("affect_backend").asText());
        assertEquals("AVX2", s.get("pytorch").get("cpu_capability").asText());

        StringWriter table = new StringWriter();
        report.printTable(new PrintWriter(table, true));
        assertTrue(table.toString().contains("3.20x"), table.toString());
        assertTrue(table.toString().contains("0.80x"), table.toString());
        assertTrue(table.toString().contains("MISS"), table.toString());
    }

    @Test
    void withoutThePeerAffectsFiguresStillReportAndTheReasonIsGiven() throws Exception {
        Measured fc = Measured.of(WorkloadKey.head("fc", "au"), new StepFigures(320, new double[] {10}));
        TrainBenchReport report = new TrainBenchReport(2, BACKEND, List.of(fc),
                TorchPeer.Result.missing("PyTorch is not installed for /usr/bin/python3"));
        JsonNode s = new ObjectMapper().readTree(report.json());
        assertEquals("PyTorch is not installed for /usr/bin/python3", s.get("pytorch").get("unavailable").asText());
        JsonNode row = s.get("results").get(0);
        assertEquals(32000.0, row.get("affect").get("frames_per_second").asDouble(), 1e-9);
        assertTrue(row.get("pytorch").isNull());
        assertTrue(row.get("throughput_ratio_affect_over_pytorch").isNull());
        StringWriter table = new StringWriter();
        report.printTable(new PrintWriter(table, true));
        assertTrue(table.toString().contains("PyTorch: PyTorch is not installed"), table.toString());
    }

    @Test
    void aWorkloadAffectCouldNotRunHasItsReasonAndNoRatio() throws Exception {
        Measured lstm = Measured.failed(WorkloadKey.head("lstm", "va"), "tanh-backward has no cpu lowering yet");
        TrainBenchReport report = new TrainBenchReport(2, BACKEND, List.of(lstm), peer());
        assertNull(report.ratio(lstm));
        JsonNode row = new ObjectMapper().readTree(report.json()).get("results").get(0);
        assertEquals("tanh-backward has no cpu lowering yet", row.get("affect").get("error").asText());
        assertEquals(500.0, row.get("pytorch").get("frames_per_second").asDouble());
    }
}
