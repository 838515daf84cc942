package dev.affect.engine.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads .safetensors: u64 little-endian header length, a JSON header (name -> dtype, shape,
 * data_offsets relative to the end of the header, plus optional {@code __metadata__}), then raw
 * little-endian data. The file is memory-mapped and each tensor is a slice of the mapping.
 *
 * <p>Every offset is validated before use (in range, size matching dtype x shape, no overlaps),
 * because a bad header would otherwise alias or read past tensors.
 */
public final class SafetensorsReader {
    /** Same cap as the reference implementation: a larger header is a corrupt length, not a real file. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    static final String METADATA = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private record Span(String name, long begin, long end) {
    }

    private SafetensorsReader() {
    }

    /** Tensors only; the mapping is owned by a GC-managed arena. */
    public static StateDict readStateDict(Path file) throws IOException {
        return read(file, Arena.ofAuto()).tensors();
    }

    public static SafetensorsFile read(Path file) throws IOException {
        return read(file, Arena.ofAuto());
    }

    /** Tensors stay valid while {@code arena} is open. */
    public static SafetensorsFile read(Path file, Arena arena) throws IOException {
        MemorySegment mapped = MappedFiles.map(file, arena);
        long fileSize = mapped.byteSize();
        if (fileSize < 8) {
            throw new CheckpointFormatException(file, "not a safetensors file (" + fileSize + " bytes)");
        }
        long headerLen = MappedFiles.u64(mapped, 0);
        if (headerLen < 0 || headerLen > fileSize - 8) {
            throw new CheckpointFormatException(file, "safetensors header length " + Long.toUnsignedString(headerLen)
                    + " exceeds the file size " + fileSize + " (truncated or not a safetensors file)");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "safetensors header length " + headerLen + " exceeds the 100 MiB limit");
        }
        JsonNode header = parseHeader(file, mapped.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE));
        MemorySegment data = mapped.asSlice(8 + headerLen);

        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<Span> spans = new ArrayList<>();
        for (var field : header.properties()) {
            String name = field.getKey();
            JsonNode info = field.getValue();
            if (name.equals(METADATA)) {
                readMetadata(file, info, metadata);
                continue;
            }
            Tensor t = readTensor(file, name, info, data, spans);
            tensors.put(name, t);
        }
        checkOverlaps(file, spans);
        return new SafetensorsFile(new StateDict(tensors), metadata);
    }

    private static JsonNode parseHeader(Path file, byte[] bytes) throws CheckpointFormatException {
        try {
            JsonNode header = JSON.readTree(bytes);
            if (header == null || !header.isObject()) {
                throw new CheckpointFormatException(file, "safetensors header is not a JSON object");
            }
            return header;
        } catch (JacksonException e) {
            throw new CheckpointFormatException(file, "safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "safetensors header is unreadable: " + e.getMessage(), e);
        }
    }

    private static void readMetadata(Path file, JsonNode info, Map<String, String> out) throws CheckpointFormatException {
        if (!info.isObject()) {
            throw new CheckpointFormatException(file, "__metadata__ is not an object");
        }
        for (var m : info.properties()) {
            if (!m.getValue().isTextual()) {
                throw new CheckpointFormatException(file, "__metadata__ value '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Tensor readTensor(Path file, String name, JsonNode info, MemorySegment data, List<Span> spans)
            throws CheckpointFormatException {
        String where = "tensor '" + name + "': ";
        if (!info.isObject() || !info.path("dtype").isTextual() || !info.path("shape").isArray()
                || !info.path("data_offsets").isArray() || info.path("data_offsets").size() != 2) {
            throw new CheckpointFormatException(file, where + "needs dtype, shape and data_offsets [begin, end]");
        }
        DType dtype = dtype(file, where, info.get("dtype").textValue());
        long[] dims = new long[info.get("shape").size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = info.get("shape").get(i);
            if (!d.canConvertToInt() || d.intValue() < 0 || !d.isIntegralNumber()) {
                throw new CheckpointFormatException(file, where + "bad shape " + info.get("shape"));
            }
            dims[i] = d.intValue();
            try {
                numel = Math.multiplyExact(numel, dims[i]);
            } catch (ArithmeticException ex) {
                throw new CheckpointFormatException(file, where + "shape " + info.get("shape") + " is too large");
            }
        }
        JsonNode b = info.get("data_offsets").get(0);
        JsonNode e = info.get("data_offsets").get(1);
        if (!b.isIntegralNumber() || !e.isIntegralNumber() || !b.canConvertToLong() || !e.canConvertToLong()) {
            throw new CheckpointFormatException(file, where + "bad data_offsets " + info.get("data_offsets"));
        }
        long begin = b.longValue();
        long end = e.longValue();
        if (begin < 0 || end < begin || end > data.byteSize()) {
            throw new CheckpointFormatException(file, where + "data_offsets [" + begin + ", " + end
                    + "] out of range (data section is " + data.byteSize() + " bytes)");
        }
        if (numel > Long.MAX_VALUE / dtype.byteSize() || end - begin != numel * dtype.byteSize()) {
            throw new CheckpointFormatException(file, where + "data_offsets span " + (end - begin) + " bytes, but "
                    + dtype + Shape.of(dims) + " needs " + numel * dtype.byteSize());
        }
        spans.add(new Span(name, begin, end));
        return Tensor.wrap(data.asSlice(begin, end - begin), dtype, Shape.of(dims));
    }

    private static void checkOverlaps(Path file, List<Span> spans) throws CheckpointFormatException {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.removeIf(s -> s.begin() == s.end()); // empty tensors occupy no bytes
        sorted.sort(Comparator.comparingLong(Span::begin));
        for (int i = 1; i < sorted.size(); i++) {
            Span prev = sorted.get(i - 1);
            Span cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new CheckpointFormatException(file, "tensors '" + prev.name() + "' [" + prev.begin() + ", "
                        + prev.end() + "] and '" + cur.name() + "' [" + cur.begin() + ", " + cur.end() + "] overlap");
            }
        }
    }

    /** Safetensors dtype names happen to equal ours; the others (I32, U8, BOOL, F8_*) are refused. */
    static DType dtype(Path file, String where, String name) throws CheckpointFormatException {
        return switch (name) {
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            case "I64" -> DType.I64;
            default -> throw new CheckpointFormatException(file, where + "unsupported dtype " + name
                    + " (supported: F32, F64, F16, BF16, I64)");
        };
    }
}
