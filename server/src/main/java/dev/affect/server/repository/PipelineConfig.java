package dev.affect.server.repository;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline folder's {@code pipeline.json}:
 *
 * <pre>{@code
 * {"backbone": "ddamfn.pth",
 *  "heads": {"va": "va.pth", "expr": "expr.safetensors", "au": "au.pth"},
 *  "description": "...", "source": "https://...", "blob": "sha256:..."}
 * }</pre>
 *
 * Only {@code backbone} is required. Paths are relative to the folder (an absolute path is taken as
 * it is). Unknown top-level keys are ignored, so {@code affect models pull} and later versions may add
 * their own; inside {@code heads} an unknown key is an error, since it would silently drop a head.
 *
 * @param file        the pipeline.json read
 * @param files       the checkpoints, resolved against the folder
 * @param description free text for clients; "" when absent
 * @param source      where the weights were downloaded from; "" when absent
 * @param blob        the downloaded blob's id; "" when absent
 */
public record PipelineConfig(Path file, PipelineFiles files, String description, String source, String blob) {
    public static final String FILE_NAME = "pipeline.json";

    // Duplicate keys would otherwise keep the last one silently.
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public PipelineConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(files, "files");
        description = Objects.requireNonNullElse(description, "");
        source = Objects.requireNonNullElse(source, "");
        blob = Objects.requireNonNullElse(blob, "");
    }

    /**
     * Reads and checks a pipeline.json.
     *
     * @throws MissingFileException     when the file does not exist
     * @throws PipelineConfigException  naming the file and field when it is not valid
     * @throws IOException              when it cannot be read
     */
    public static PipelineConfig read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new MissingFileException(file, "the pipeline's configuration");
        }
        return parse(file, text);
    }

    /** Parses the text of {@code file}; see {@link #read}. */
    public static PipelineConfig parse(Path file, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PipelineConfigException(file, "not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + at(e.getLocation()), e);
        }
        if (root == null || !root.isObject()) {
            throw new PipelineConfigException(file, "(top level)", "must be a JSON object with at least \"backbone\"");
        }
        Path folder = file.toAbsolutePath().getParent();
        Path backbone = folder.resolve(requiredString(file, root, "backbone"));
        return new PipelineConfig(file, new PipelineFiles(backbone, heads(file, folder, root.get("heads"))),
                optionalString(file, root, "description"), optionalString(file, root, "source"),
                optionalString(file, root, "blob"));
    }

    /** The pipeline's folder, whose name is the pipeline's. */
    public Path folder() {
        return file.toAbsolutePath().getParent();
    }

    /** The description clients see: the file's own, else where the weights came from. */
    public String displayDescription() {
        if (!description.isEmpty()) {
            return description;
        }
        if (!source.isEmpty()) {
            return "pulled from " + source + (blob.isEmpty() ? "" : " (blob " + blob + ")");
        }
        return "loaded from " + file;
    }

    private static Map<Task, Path> heads(Path file, Path folder, JsonNode heads) {
        Map<Task, Path> out = new EnumMap<>(Task.class);
        if (heads == null || heads.isNull()) {
            return out;
        }
        if (!heads.isObject()) {
            throw new PipelineConfigException(file, "heads", "must be an object like {\"va\": \"va.pth\"}, got " + heads.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : heads.properties()) {
            String field = "heads." + e.getKey();
            Task task = Task.forKey(e.getKey()).orElseThrow(() -> new PipelineConfigException(file, field,
                    "unknown task (expected va, expr or au)"));
            out.put(task, folder.resolve(nonEmptyString(file, field, e.getValue())));
        }
        return out;
    }

    private static String requiredString(Path file, JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new PipelineConfigException(file, field, "missing (the DDAMFN checkpoint, relative to the folder)");
        }
        return nonEmptyString(file, field, v);
    }

    private static String nonEmptyString(Path file, String field, JsonNode v) {
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new PipelineConfigException(file, field, "must be a non-empty file path, got " + v);
        }
        return v.asText();
    }

    private static String optionalString(Path file, JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new PipelineConfigException(file, field, "must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
