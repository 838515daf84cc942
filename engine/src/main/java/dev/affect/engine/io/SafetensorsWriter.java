package dev.affect.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes .safetensors atomically (temp file + rename, see {@link AtomicFiles}): metadata first,
 * then tensors in StateDict order, packed back to back; the header is padded with spaces to a
 * multiple of 8 so the data section starts 8-byte aligned.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    public static void write(Path file, StateDict tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    public static void write(Path file, StateDict tensors, Map<String, String> metadata) throws IOException {
        MappedFiles.requireLittleEndianHost(file);
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            AtomicFiles.writeFully(ch, len);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            for (Tensor t : tensors.asMap().values()) {
                AtomicFiles.writeFully(ch, t.host().segment().asByteBuffer());
            }
        });
    }

    static byte[] header(StateDict tensors, Map<String, String> metadata) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsReader.METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (var e : tensors.asMap().entrySet()) {
            if (e.getKey().equals(SafetensorsReader.METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + SafetensorsReader.METADATA);
            }
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().byteSize();
            ObjectNode info = root.putObject(e.getKey());
            info.put("dtype", t.dtype().name()); // our DType names are the safetensors names (U8, I32, BOOL too)
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }
}
