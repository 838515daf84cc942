package dev.affect.engine.io;

import java.util.Map;

/** The contents of a .safetensors file: tensors in header order and the free-form {@code __metadata__}. */
public record SafetensorsFile(StateDict tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
