package dev.affect.cli.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The checkpoints {@code affect models pull} knows, by name. */
public final class CheckpointCatalog {
    /** The authors' repository (SainingZhang/DDAMFN), raw files of the main branch; GitHub redirects to the content host. */
    public static final String DEFAULT_BASE_URL = "https://github.com/SainingZhang/DDAMFN/raw/main";

    private final Map<String, PublishedCheckpoint> entries = new LinkedHashMap<>();

    CheckpointCatalog(List<PublishedCheckpoint> entries) {
        for (PublishedCheckpoint e : entries) {
            if (this.entries.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("two catalogue entries named " + e.name());
            }
        }
    }

    /**
     * DDAMFN++ (checkpoints_ver2.0). Only the AffectNet-8 file's blob id is recorded here: the ids of
     * the other two could not be looked up when this was written, so their downloads are reported
     * with the computed id, unverified. Fill them in from the repository's tree
     * ({@code git ls-tree main DDAMFN++/checkpoints_ver2.0/}) when known.
     */
    public static CheckpointCatalog ddamfn() {
        String dir = "DDAMFN++/checkpoints_ver2.0/";
        return new CheckpointCatalog(List.of(
                new PublishedCheckpoint("affectnet7", "AffectNet, 7 classes (acc 0.671)", dir + "affecnet7_epoch19_acc0.671.pth", 7,
                        Optional.empty()),
                new PublishedCheckpoint("affectnet8", "AffectNet, 8 classes (acc 0.6469)", dir + "affecnet8_epoch25_acc0.6469.pth", 8,
                        Optional.of("b8dce63bfc249c270cd09f5adc34cf7948954b1f")),
                new PublishedCheckpoint("rafdb", "RAF-DB, 7 classes (acc 0.9204)", dir + "rafdb_epoch20_acc0.9204_bacc0.8617.pth", 7,
                        Optional.empty())));
    }

    /**
     * A catalogue from a JSON array of {@code {"name", "path", "classes", "blob"?, "dataset"?}}
     * (the hidden {@code --catalog} option: tests, mirrors).
     */
    static CheckpointCatalog read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new InvalidInputException(json.toString(), "a catalogue is a JSON array of {name, path, classes, blob}");
        }
        List<PublishedCheckpoint> list = new ArrayList<>();
        for (JsonNode e : root) {
            if (!e.hasNonNull("name") || !e.hasNonNull("path") || !e.path("classes").canConvertToInt()) {
                throw new InvalidInputException(json.toString(), "every entry needs name, path and classes: " + e);
            }
            list.add(new PublishedCheckpoint(e.get("name").asText(), e.path("dataset").asText(""), e.get("path").asText(),
                    e.get("classes").asInt(), Optional.ofNullable(e.get("blob")).filter(JsonNode::isTextual).map(JsonNode::asText)));
        }
        return new CheckpointCatalog(list);
    }

    public List<PublishedCheckpoint> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry named {@code name}; an unknown name is the user's error, listing the known ones. */
    public PublishedCheckpoint find(String name) {
        PublishedCheckpoint e = entries.get(name);
        if (e == null) {
            throw new InvalidInputException("NAME", "unknown model '" + name + "'; known: " + String.join(", ", entries.keySet()));
        }
        return e;
    }
}
