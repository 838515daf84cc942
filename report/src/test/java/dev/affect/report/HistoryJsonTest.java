package dev.affect.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTest {

    @Test
    void theDocumentedLayoutReads(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("history.json");
        Files.writeString(file, """
                {"series": [
                  {"name": "train loss", "x": "step", "points": [[1, 2.5], [2, NaN], [3, null], [4, 1.5]]},
                  {"name": "validation P_VA", "x": "epoch", "points": [[1, 0.2]]}
                ]}
                """);
        TrainingHistory h = HistoryJson.read(file);
        assertEquals(2, h.series().size());
        TrainingSeries loss = h.series().getFirst();
        assertEquals("train loss", loss.name());
        assertEquals("step", loss.x());
        assertArrayEquals(new double[] {1, 2, 3, 4}, loss.xs());
        assertArrayEquals(new double[] {2.5, Double.NaN, Double.NaN, 1.5}, loss.ys());
        assertEquals(List.of("step", "epoch"), List.copyOf(h.byXUnit().keySet()));
    }

    @Test
    void writtenFilesArePlainJsonAndReadBack(@TempDir Path tmp) throws Exception {
        TrainingHistory h = new TrainingHistory(List.of(
                new TrainingSeries("loss", "step", new double[] {1, 2}, new double[] {Double.NaN, 0.5})));
        Path file = tmp.resolve("h.json");
        HistoryJson.write(h, file);
        // a strict reader (no NaN extension) accepts it: NaN went out as null
        new ObjectMapper().readTree(file.toFile());
        assertArrayEquals(h.series().getFirst().ys(), HistoryJson.read(file).series().getFirst().ys());
    }

    @Test
    void badPointsAreNamed(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("h.json");
        Files.writeString(file, "{\"series\":[{\"name\":\"a\",\"x\":\"step\",\"points\":[[1,2],[3]]}]}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HistoryJson.read(file));
        assertEquals(file + ": series 0, point 1", e.field());
        Files.writeString(file, "{\"series\":[{\"name\":\"a\",\"points\":[]}]}");
        assertTrue(assertThrows(InvalidInputException.class, () -> HistoryJson.read(file)).getMessage()
                .contains("\"x\""));
        Files.writeString(file, "{\"curves\":[]}");
        assertTrue(assertThrows(InvalidInputException.class, () -> HistoryJson.read(file)).getMessage()
                .contains("\"series\""));
    }
}
