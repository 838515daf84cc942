package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.AnnotationFile;
import dev.affect.report.VaPoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-frame VA values behind a report's VA plots, read from a folder of ABAW VA annotation files
 * and the folder of prediction files written for them ({@code <video>.txt} each, same header, one line
 * per frame). Frames annotated with the invalid marker are dropped, as the scores drop them.
 */
final class VaPointFiles {
    private VaPointFiles() {
    }

    static VaPoints read(Path predictions, Path annotations) throws IOException {
        if (!Files.isDirectory(annotations)) {
            throw new InvalidInputException("--va-annotations", "not a folder: " + annotations);
        }
        if (!Files.isDirectory(predictions)) {
            throw new InvalidInputException("--va-predictions", "not a folder: " + predictions);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(annotations, "*.txt")) {
            dir.forEach(files::add);
        }
        files.sort(null);
        if (files.isEmpty()) {
            throw new InvalidInputException("--va-annotations", "no <video>.txt annotation file in " + annotations);
        }
        List<float[]> pred = new ArrayList<>();
        List<float[]> truth = new ArrayList<>();
        for (Path a : files) {
            AnnotationFile labels = AnnotationFile.read(a, AbawTask.VA);
            List<float[]> values = predictionLines(predictions.resolve(a.getFileName().toString()), labels.frames());
            for (int frame = 1; frame <= labels.frames(); frame++) {
                if (!labels.isInvalid(frame)) {
                    truth.add(labels.label(frame));
                    pred.add(values.get(frame - 1));
                }
            }
        }
        return VaPoints.ofRows(flat(pred), flat(truth));
    }

    /** The (valence, arousal) of each line after the header; the file must hold {@code frames} of them. */
    private static List<float[]> predictionLines(Path file, int frames) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "missing: no predictions for this annotated video");
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        if (lines.isEmpty() || !lines.getFirst().strip().equals(AbawTask.VA.header())) {
            throw new InvalidInputException(file + ":1", "expected the VA header '" + AbawTask.VA.header() + "'");
        }
        if (lines.size() - 1 != frames) {
            throw new InvalidInputException(file.toString(), (lines.size() - 1) + " prediction lines for " + frames
                    + " annotated frames");
        }
        List<float[]> values = new ArrayList<>(frames);
        for (int i = 1; i < lines.size(); i++) {
            String[] parts = lines.get(i).strip().split(",", -1);
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                float[] v = {Float.parseFloat(parts[0].strip()), Float.parseFloat(parts[1].strip())};
                if (!Float.isFinite(v[0]) || !Float.isFinite(v[1])) {
                    throw new NumberFormatException();
                }
                values.add(v);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(file + ":" + (i + 1), "expected 'valence,arousal' as two finite numbers, got '"
                        + lines.get(i).strip() + "'");
            }
        }
        return values;
    }

    private static float[] flat(List<float[]> rows) {
        float[] f = new float[rows.size() * 2];
        for (int i = 0; i < rows.size(); i++) {
            f[2 * i] = rows.get(i)[0];
            f[2 * i + 1] = rows.get(i)[1];
        }
        return f;
    }
}
