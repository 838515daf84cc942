package dev.affect.cli.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code models/<name>/pipeline.json}: which file is the backbone and where it came from,
 * {@code {"backbone": "<file name>", "source": "<url>", "blob": "<git blob id>"}}.
 */
record PipelineFile(String backbone, String source, String blob) {
    static final String NAME = "pipeline.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Written atomically, so a reader never sees half of it. */
    void write(Path modelDir) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("source", source);
        m.put("blob", blob);
        AtomicFiles.write(modelDir.resolve(NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    }

    /** The file in {@code modelDir}, if there is a readable one. */
    static Optional<PipelineFile> read(Path modelDir) {
        Path file = modelDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return Optional.of(new PipelineFile(n.path("backbone").asText(""), n.path("source").asText(""), n.path("blob").asText("")));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: treated as absent, and rewritten by the next pull
        }
    }
}
