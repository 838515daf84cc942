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
 * as its name, dtype, shape and raw little-endian bytes. Two loads of the same checkpoint give the same
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
            sha.update(t.host().segment().asByteBuffer());
        }
        return HexFormat.of().formatHex(sha.digest());
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
