package dev.affect.engine.io;

import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a tensor as a NumPy .npy file (C order, little-endian) atomically. F32, F64, I64 and F16
 * map to {@code <f4}, {@code <f8}, {@code <i8}, {@code <f2}; numpy has no bfloat16, so BF16 is
 * refused (convert with {@link Tensor#toF32()} first).
 */
public final class NpyWriter {
    /** numpy aligns the data section to 64 bytes (format.ARRAY_ALIGN) so it can be mapped aligned. */
    private static final int ALIGN = 64;

    private NpyWriter() {
    }

    public static void write(Path file, Tensor tensor) throws IOException {
        MappedFiles.requireLittleEndianHost(file);
        String descr = switch (tensor.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I64 -> "<i8";
            case F16 -> "<f2";
            case I32 -> "<i4";
            case U8 -> "|u1";
            case BOOL -> "|b1";
            case BF16 -> throw new IllegalArgumentException("numpy has no bfloat16; write tensor.toF32() instead");
        };
        byte[] preamble = preamble(new NpyHeader(descr, false, tensor.shape().longDims()));
        AtomicFiles.write(file, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(preamble));
            AtomicFiles.writeFully(ch, tensor.host().segment().asByteBuffer());
        });
    }

    /** Magic, version, header length and the header padded with spaces and a final newline. */
    static byte[] preamble(NpyHeader header) {
        byte[] dict = header.format().getBytes(StandardCharsets.ISO_8859_1);
        boolean v1 = dict.length + 1 + 10 + ALIGN <= 0xffff;
        int fixed = v1 ? 10 : 12;
        int total = (fixed + dict.length + 1 + ALIGN - 1) / ALIGN * ALIGN;
        int headerLen = total - fixed;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyReader.MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        b.put(dict);
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }
}
