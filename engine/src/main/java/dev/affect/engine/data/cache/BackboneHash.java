package dev.affect.engine.data.cache;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A stable SHA-256 of a backbone's weights: every stored (not derived) parameter in name order, each
 * as its name, dtype, shape and values (their exact bits, little-endian). Two loads of the same checkpoint give the same
 * key on any backend; any change of a weight, name, shape or dtype gives another.
 */
public final class BackboneHash {
    private BackboneHash() {
    }

    /** The lower-case hex SHA-256 (64 characters) of the store's parameters. */
    public static String of(ParameterStore parameters) {
        MessageDigest sha = sha256();
        List<String> names = parameters.names().stream().filter(n -> !parameters.isDerived(n)).sorted().toList();
        update(sha, "affect-backbone-hash-v1");
        sha.update(le(8).putLong(names.size()).flip());
        for (String name : names) {
            Tensor t = parameters.get(name);
            update(sha, name);
            update(sha, t.dtype().name());
            long[] dims = t.shape().longDims();
            ByteBuffer shape = le(8 + 8 * dims.length).putLong(dims.length);
            for (long d : dims) {
                shape.putLong(d);
            }
            sha.update(shape.flip());
            sha.update(le(8).putLong(t.byteSize()).flip());
            values(sha, t);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The values through the typed accessors (tensor memory is not touched raw), as little-endian bits. */
    private static void values(MessageDigest sha, Tensor t) {
        long n = t.numel();
        ByteBuffer buf = le(8 * 4096);
        for (long i = 0; i < n; i++) {
            switch (t.dtype()) {
                case F64 -> buf.putLong(Double.doubleToRawLongBits(t.getDouble(i)));
                case F32, F16, BF16 -> buf.putInt(Float.floatToRawIntBits(t.getFloat(i)));
                default -> buf.putLong(t.getLong(i));
            }
            if (buf.remaining() < 8) {
                sha.update(buf.flip());
                buf.clear();
            }
        }
        sha.update(buf.flip());
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(le(4).putInt(b.length).flip());
        sha.update(b);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
