package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** affect infer --detect: whole photos -> their faces -> DDAMFN rows that say which photo and face they are. */
class InferDetectCommandTest {
    @TempDir
    Path tmp;

    private CliRun infer(Path input, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("infer", "--detect", "--input", input.toString(), "--out", out.toString(),
                "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(),
                "--detector", DetectFixtures.releasedWeights().toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void photosBecomeOneRowPerFaceMappedToPhotoAndFace() throws IOException {
        Path photos = Files.createDirectory(tmp.resolve("photos"));
        Files.copy(DetectFixtures.retinaReal("astronaut.png"), photos.resolve("astronaut.png"));
        Files.copy(DetectFixtures.photo("group.jpeg"), photos.resolve("group.jpeg"));
        Files.copy(DetectFixtures.photo("non_face.jpg"), photos.resolve("non_face.jpg"));
        Path out = tmp.resolve("out");
        CliRun r = infer(photos, out, "--batch", "4");
        assertEquals(0, r.exitCode(), r.err());

        JsonNode faces = new ObjectMapper().readTree(out.resolve("faces.json").toFile());
        assertEquals(1, faces.get("astronaut.png").size());
        int groupFaces = faces.get("group.jpeg").size();
        assertTrue(groupFaces >= 4, faces.toString());
        assertEquals(0, faces.get("non_face.jpg").size(), "a photo without a face is listed, with no row");
        int n = 1 + groupFaces;

        Tensor logits = NpyReader.read(out.resolve("logits.npy"));
        assertEquals(Shape.of(n, 8), logits.shape());
        JsonNode items = new ObjectMapper().readTree(out.resolve("probabilities.json").toFile()).get("items");
        assertEquals(n, items.size());
        // rows in photo order, faces best first; faces.json and probabilities.json agree on every row
        int row = 0;
        for (String photo : List.of("astronaut.png", "group.jpeg")) {
            for (int i = 0; i < faces.get(photo).size(); i++, row++) {
                JsonNode face = faces.get(photo).get(i);
                assertEquals(row, face.get("row").asInt(), face.toString());
                assertEquals(i, face.get("face").asInt());
                assertEquals(photo + "#f" + i, items.get(row).get("input").asText());
                assertTrue(Files.isRegularFile(out.resolve(face.get("crop").asText())), face.toString());
            }
        }

        // Each row is DDAMFN on that face's crop: rerun plain infer on two of the written crops.
        Path again = tmp.resolve("again");
        CliRun crops = CliRun.of("infer", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(),
                "--input", out.resolve("faces/group_f2.png").toString(), "--out", again.toString());
        assertEquals(0, crops.exitCode(), crops.err());
        int groupRow = faces.get("group.jpeg").get(2).get("row").asInt();
        InferCommandTest.assertClose(logits.slice(groupRow, groupRow + 1), NpyReader.read(again.resolve("logits.npy")));
        crops = CliRun.of("infer", "--checkpoint", Fixtures.reference("ddamfn_8_class.pth").toString(),
                "--input", out.resolve("faces/astronaut_f0.png").toString(), "--out", again.toString());
        assertEquals(0, crops.exitCode(), crops.err());
        InferCommandTest.assertClose(logits.slice(0, 1), NpyReader.read(again.resolve("logits.npy")));
    }

    @Test
    void headsTakeOneFacePerPhotoAsAClip() throws IOException {
        Path photos = Files.createDirectory(tmp.resolve("photos"));
        Files.copy(DetectFixtures.retinaReal("astronaut.png"), photos.resolve("1.png"));
        Files.copy(DetectFixtures.photo("group.jpeg"), photos.resolve("2.jpeg"));
        String head = Fixtures.training("lstm_va_adam", "init.safetensors").toString();
        CliRun r = infer(photos, tmp.resolve("mixed"), "--head", head);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--head") && r.err().contains("2.jpeg") && r.err().contains("--keep-top-k 1"), r.err());

        Path out = tmp.resolve("out");
        r = infer(photos, out, "--head", head, "--keep-top-k", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Shape.of(2, 2), NpyReader.read(out.resolve("va.npy")).shape());
        JsonNode faces = new ObjectMapper().readTree(out.resolve("faces.json").toFile());
        assertEquals(1, faces.get("2.jpeg").size());
        assertEquals(1, faces.get("2.jpeg").get(0).get("row").asInt());
    }

    @Test
    void singlePhotoWithoutAFaceWritesFacesJsonAndNoRows() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = infer(DetectFixtures.photo("non_face.jpg"), out);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"non_face.jpg\":[]}", new ObjectMapper().readTree(out.resolve("faces.json").toFile()).toString());
        assertTrue(r.out().contains("no face"), r.out());
        assertFalse(Files.exists(out.resolve("logits.npy")));
    }

    @Test
    void detectOptionsAreCheckedWithOneLine() throws IOException {
        Path out = tmp.resolve("out");
        String ckpt = Fixtures.reference("ddamfn_8_class.pth").toString();
        Path photo = DetectFixtures.retinaReal("astronaut.png");
        String[][][] cases = {
            {{"infer", "--detect", "--input", photo.toString(), "--out", out.toString(), "--checkpoint", ckpt},
                {"--detector", "Pytorch_Retinaface"}},
            {{"infer", "--input", photo.toString(), "--out", out.toString(), "--checkpoint", ckpt,
                "--detector", DetectFixtures.releasedWeights().toString()}, {"--detector", "--detect"}},
            {{"infer", "--detect", "--input", Fixtures.reference("input.npy").toString(), "--out", out.toString(),
                "--checkpoint", ckpt, "--detector", DetectFixtures.releasedWeights().toString()}, {"--input", "photos"}},
            {{"infer", "--detect", "--input", photo.toString(), "--out", out.toString(), "--checkpoint", ckpt,
                "--detector", DetectFixtures.releasedWeights().toString(), "--confidence", "1"}, {"--confidence"}},
        };
        for (String[][] c : cases) {
            CliRun r = CliRun.of(c[0]);
            String what = String.join(" ", c[0]) + " -> " + r.err();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().strip().lines().count(), what);
            assertTrue(r.err().startsWith("affect infer: "), what);
            for (String mention : c[1]) {
                assertTrue(r.err().contains(mention), "'" + mention + "' expected in: " + what);
            }
        }
        assertFalse(Files.exists(out), "nothing written before the options are checked");
    }
}
