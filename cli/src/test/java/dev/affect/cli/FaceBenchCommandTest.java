package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code affect bench --model retinaface}: its JSON and sentence, the frame it builds, and bad options (not timings). */
class FaceBenchCommandTest {
    static Path fixture(String file) {
        Path p = Fixtures.reference("").getParent().resolve(file);
        assumeTrue(Files.isRegularFile(p), "fixture not found at " + p.toAbsolutePath().normalize());
        return p;
    }

    @Test
    void jsonHasTheStagesAndTheFacesOfTheLetterboxedPhoto() throws IOException {
        CliRun r = CliRun.of("bench", "--model", "retinaface", "--checkpoint",
                fixture("retinaface/real/mobilenet0.25_Final.pth").toString(), "--image",
                fixture("real-photos/group.jpeg").toString(), "--size", "320x240", "--iterations", "2", "--warmup", "0",
                "--threads", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out().strip());
        assertEquals("retinaface", j.get("model").asText());
        assertEquals("320x240", j.get("size").asText());
        assertEquals("1x3x256x320", j.get("network_input").asText());
        assertEquals(1, j.get("threads").asInt());
        assertEquals(2, j.get("iterations").asInt());
        assertTrue(j.get("ms_per_frame").asDouble() > 0);
        assertEquals(FaceBench.STAGES.size(), j.get("stage_ms_median").size());
        // group.jpeg has four fully visible faces and a fifth cut off; at 320x240 at least those four are found
        assertTrue(j.get("faces_per_frame").asInt() >= 4, r.out());
        assertEquals(j.get("faces_per_frame").asInt(), j.get("faces").size());
        assertTrue(j.get("description").asText().contains("1 threads"), j.get("description").asText());
    }

    @Test
    void aSyntheticFrameWithoutJson() {
        CliRun r = CliRun.of("bench", "--model", "retinaface", "--checkpoint",
                fixture("retinaface/real/mobilenet0.25_Final.pth").toString(), "--size", "64x48", "--iterations", "1",
                "--warmup", "0", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("retinaface 64x48 (network input 1x3x256x320)") && r.out().contains("0 faces"), r.out());
    }

    @Test
    void theFrameIsThePhotoLetterboxed() throws IOException {
        RgbImage frame = FaceBench.frame(fixture("real-photos/group.jpeg"), 640, 480);
        assertEquals(640, frame.width());
        assertEquals(480, frame.height());
        // 1280x853 scaled by 0.5 to 640x427 (rounded), centred: black bars of 26 rows above and 27 below
        assertEquals(0, frame.get(320, 10, 0) + frame.get(320, 10, 1) + frame.get(320, 10, 2));
        assertEquals(0, frame.get(320, 470, 0) + frame.get(320, 470, 1) + frame.get(320, 470, 2));
        assertTrue(frame.get(320, 240, 0) + frame.get(320, 240, 1) + frame.get(320, 240, 2) > 0);
        assertEquals(FaceBench.frame(null, 64, 48), FaceBench.frame(null, 64, 48), "the synthetic frame is deterministic");
    }

    @Test
    void badOptionsAreUsageErrors() {
        String[][] cases = {
            {"bench", "--model", "yolo", "--checkpoint", "x.pth"},
            {"bench", "--model", "retinaface", "--checkpoint", "x.pth", "--size", "640by480"},
            {"bench", "--model", "retinaface", "--size", "640x480"},
        };
        String[] named = {"--model", "--size", "--checkpoint"};
        for (int i = 0; i < cases.length; i++) {
            CliRun r = CliRun.of(cases[i]);
            assertEquals(2, r.exitCode(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().contains(named[i]), r.err());
        }
    }
}
