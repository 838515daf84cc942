package dev.affect.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.cli.FaceBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scripts/bench --model retinaface for two frames per side at 160x120: the table, the ratio line and
 * the JSON (both sides' keys, the same network input, the same faces), not the timings; then its
 * command line.
 */
class FaceCompareMainTest {

    record Run(int exitCode, String out, String err) {
    }

    private static Run compare(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CompareMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String shared(String file) {
        Path p = Path.of(System.getProperty("affect.shared", "../../shared"), file);
        assumeTrue(Files.isRegularFile(p), "shared fixture not found at " + p.toAbsolutePath().normalize());
        return p.toString();
    }

    @Test
    void comparesBothSidesOnTheSameFrame() throws Exception {
        String weights = shared("fixtures/retinaface/real/mobilenet0.25_Final.pth");
        String onnx = shared("fixtures/peer/retinaface_mnet025.onnx");
        String image = shared("fixtures/real-photos/group.jpeg");
        Run r = compare("--model", "retinaface", "--size", "160x120", "--iterations", "2", "--warmup", "1", "--threads", "1",
                "--backend", "auto", "--checkpoint", weights, "--onnx", onnx, "--image", image);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("retinaface, frame 160x120 (" + image + "), network input 1x3x"), lines.get(0));
        assertTrue(lines.get(1).startsWith("side ") && lines.get(1).contains("ms/frame") && lines.get(1).contains("network"),
                lines.get(1));
        assertTrue(lines.get(3).startsWith("onnxruntime "), lines.get(3));
        assertTrue(lines.get(4).startsWith("throughput affect / onnxruntime: "), lines.get(4));
        assertTrue(lines.get(5).startsWith("CPU ms/frame on the one thread: affect "), lines.get(5));
        assertTrue(lines.get(6).startsWith("same faces: yes"), lines.get(6));

        JsonNode result = new ObjectMapper().readTree(lines.get(7)).get("retinaface");
        assertTrue(result.get("cpu_ratio_affect_over_ort").asDouble() > 0, result.toString());
        assertEquals("160x120", result.get("size").asText());
        assertEquals(1, result.get("threads").asInt());
        JsonNode ours = result.get("affect");
        JsonNode peer = result.get("onnxruntime");
        assertEquals("onnxruntime", peer.get("backend").asText());
        for (JsonNode side : List.of(ours, peer)) {
            for (String key : List.of("description", "threads", "image", "load_and_compile_ms", "model", "size", "network_input",
                    "iterations", "ms_per_frame", "ms_per_frame_p10", "ms_per_frame_p90", "frames_per_second",
                    "stage_ms_median", "caller_cpu_ms_per_frame", "stage_caller_cpu_ms_median", "faces_per_frame", "faces", "peak_rss_mb")) {
                assertTrue(side.has(key), key + " in " + side);
            }
            assertEquals(2, side.get("iterations").asInt());
            assertEquals(1, side.get("threads").asInt());
            assertEquals("160x120", side.get("size").asText());
            assertTrue(side.get("ms_per_frame").asDouble() > 0, side.toString());
            assertEquals(FaceBench.STAGES, iterable(side.get("stage_ms_median")));
        }
        // the frame is 160x120: resized so the longer side is 320 (r = 2), 320x240 padded to the 256-row bucket
        assertEquals("1x3x256x320", ours.get("network_input").asText());
        assertEquals(ours.get("network_input"), peer.get("network_input"));
        assertEquals(ours.get("faces_per_frame"), peer.get("faces_per_frame"));
        assertEquals(ours.get("faces").size(), ours.get("faces_per_frame").asInt());
        double diff = result.get("max_face_diff").asDouble();
        assertTrue(diff >= 0 && diff < 0.5, "faces differ by " + diff);
        double ratio = result.get("throughput_ratio_affect_over_ort").asDouble();
        assertEquals(peer.get("ms_per_frame").asDouble() / ours.get("ms_per_frame").asDouble(), ratio, 1e-3 * ratio + 1e-3);
        assertTrue(ours.get("description").asText().contains("threads"), ours.get("description").asText());
    }

    @Test
    void commandLine() throws Exception {
        Run help = compare("--model", "retinaface", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("Usage: scripts/bench --model retinaface [options]\n"), help.out());
        for (String option : List.of("--size WxH", "--image FILE", "--iterations N", "--warmup N", "--threads N", "--backend NAME",
                "--checkpoint FILE", "--onnx FILE")) {
            assertTrue(help.out().contains("\n  " + option + "\n"), option + " in\n" + help.out());
        }
        assertTrue(help.out().contains("default: 640x480"), help.out());
        // plain scripts/bench still describes DDAMFN and points at this mode
        Run plain = compare("--help");
        assertTrue(plain.out().startsWith("Usage: scripts/bench [options]\n") && plain.out().contains("retinaface"), plain.out());

        String[][] cases = {
            {"--model", "retinaface", "--size", "640"},
            {"--model", "retinaface", "--size", "0x480"},
            {"--model", "retinaface", "--image", "/no/such.jpg"},
            {"--model", "retinaface", "--onnx", "/no/such.onnx", "--checkpoint", "pom.xml"},
        };
        String[] expected = {
            "scripts/bench --model retinaface: --size: must be WxH (e.g. 640x480), each >= 1 and at most 4096x4096 pixels in all,"
                    + " got '640'; see --help",
            "scripts/bench --model retinaface: --size: must be WxH (e.g. 640x480), each >= 1 and at most 4096x4096 pixels in all,"
                    + " got '0x480'; see --help",
            "scripts/bench --model retinaface: --image: no such file: /no/such.jpg; see --help",
            "scripts/bench --model retinaface: --onnx: no such file: /no/such.onnx; see --help",
        };
        for (int i = 0; i < cases.length; i++) {
            Run r = compare(cases[i]);
            assertEquals(2, r.exitCode(), r.err());
            assertEquals("", r.out(), "nothing measured");
            assertEquals(expected[i], r.err().strip());
        }
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
