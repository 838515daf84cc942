package dev.affect.engine.graph;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.Arrays;

/**
 * A value's element type and shape. A dimension may be symbolic in the batch size N: it is stored
 * as {@code -k}, meaning k * N (so {@code [N, 3, 112, 112]} is {@code {-1, 3, 112, 112}} and the
 * rows of an LSTM over N windows of 10 frames, flattened, are {@code {-10, 512}}).
 */
public record TensorType(DType dtype, int[] dims) {

    public TensorType {
        dims = dims.clone();
        for (int d : dims) {
            if (d == 0) {
                throw new IllegalArgumentException("empty dimension in " + Arrays.toString(dims));
            }
        }
    }

    /** A fully known type. */
    public static TensorType of(DType dtype, Shape shape) {
        return new TensorType(dtype, shape.dims());
    }

    public static TensorType f32(int... dims) {
        return new TensorType(DType.F32, dims);
    }

    /** {@code [N, rest...]}. */
    public static TensorType batched(DType dtype, int... rest) {
        int[] d = new int[rest.length + 1];
        d[0] = -1;
        System.arraycopy(rest, 0, d, 1, rest.length);
        return new TensorType(dtype, d);
    }

    public int rank() {
        return dims.length;
    }

    public boolean isSymbolic(int axis) {
        return dims[axis] < 0;
    }

    /** True when no dimension depends on the batch size. */
    public boolean isConcrete() {
        return Arrays.stream(dims).allMatch(d -> d > 0);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The shape at batch size n. */
    public Shape resolve(int n) {
        int[] d = new int[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[i] < 0 ? -dims[i] * n : dims[i];
        }
        return Shape.of(d);
    }

    /** The shape of a concrete type; IllegalStateException when it depends on the batch. */
    public Shape shape() {
        if (!isConcrete()) {
            throw new IllegalStateException(this + " depends on the batch size");
        }
        return Shape.of(dims);
    }

    /** Whether a concrete shape is an instance of this type, and at which batch size (-1 if any). */
    public boolean accepts(Shape s) {
        return batchOf(s) != Integer.MIN_VALUE;
    }

    /**
     * The batch size a shape implies (-1 when the type has no symbolic dimension), or
     * {@link Integer#MIN_VALUE} when the shape does not fit.
     */
    public int batchOf(Shape s) {
        if (s.rank() != dims.length) {
            return Integer.MIN_VALUE;
        }
        int n = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > 0) {
                if (s.dim(i) != dims[i]) {
                    return Integer.MIN_VALUE;
                }
            } else {
                int k = -dims[i];
                if (s.dim(i) % k != 0 || s.dim(i) == 0 || (n >= 0 && s.dim(i) / k != n)) {
                    return Integer.MIN_VALUE;
                }
                n = s.dim(i) / k;
            }
        }
        return n;
    }

    /** Infers a type from the shapes an op gives at batch 1 and at batch 2. */
    static TensorType fromProbes(DType dtype, Shape atOne, Shape atTwo) {
        return fromProbes(dtype, 1, atOne, atTwo);
    }

    /** Infers a type from the shapes an op gives at batch n and at batch 2n. */
    static TensorType fromProbes(DType dtype, int n, Shape atN, Shape atTwoN) {
        int[] d = new int[atN.rank()];
        for (int i = 0; i < d.length; i++) {
            int a = atN.dim(i);
            int b = atTwoN.dim(i);
            if (a == b) {
                d[i] = a;
            } else if (b == 2 * a && a % n == 0) {
                d[i] = -a / n;
            } else {
                throw new IllegalArgumentException("dimension " + i + " is not linear in the batch size: "
                        + atN + " at N=" + n + ", " + atTwoN + " at N=" + 2 * n);
            }
        }
        return new TensorType(dtype, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.dims, dims);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(dtype.name().toLowerCase()).append('[');
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            int d = dims[i];
            sb.append(d > 0 ? Integer.toString(d) : d == -1 ? "N" : (-d) + "N");
        }
        return sb.append(']').toString();
    }
}
