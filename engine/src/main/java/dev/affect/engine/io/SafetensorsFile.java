package dev.affect.engine.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The contents of a .safetensors file: tensors in header order and the free-form {@code __metadata__}. */
public record SafetensorsFile(StateDict tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
