package dev.affect.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A dense, row-major (C order) tensor in host memory: the one kind of {@link Tensor} today.
 *
 * <p>The memory is a {@link MemorySegment} so native backends can hand it to kernels without a copy.
 * Model and layer code must not use {@link #segment()} (an ArchUnit rule keeps them off
 * {@code java.lang.foreign}); they read and write through the typed accessors.
 */
public final class HostTensor implements Tensor {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    private final DType dtype;
    private final Shape shape;
    private final MemorySegment data;

    private HostTensor(DType dtype, Shape shape, MemorySegment data) {
        long need = shape.numel() * dtype.byteSize();
        if (data.byteSize() < need) {
            throw new IllegalArgumentException(
                    "segment of " + data.byteSize() + " bytes is too small for " + dtype + shape);
        }
        this.dtype = dtype;
        this.shape = shape;
        this.data = data.byteSize() == need ? data : data.asSlice(0, need);
    }

    /** Wraps existing memory (a mapped checkpoint, a backend buffer); the caller owns its lifetime. */
    public static HostTensor wrap(MemorySegment data, DType dtype, Shape shape) {
        return new HostTensor(dtype, shape, data);
    }

    static HostTensor allocate(Arena arena, DType dtype, Shape shape) {
        return new HostTensor(dtype, shape, arena.allocate(Math.max(1, shape.numel() * dtype.byteSize()), 64));
    }

    static HostTensor ofFloats(float[] values, int... dims) {
        Shape shape = Shape.of(dims);
        if (shape.numel() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + shape);
        }
        HostTensor t = allocate(Arena.ofAuto(), DType.F32, shape);
        MemorySegment.copy(values, 0, t.data, F32, 0, values.length);
        return t;
    }

    static HostTensor ofLongValues(long[] values, int... dims) {
        Shape shape = Shape.of(dims);
        if (shape.numel() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + shape);
        }
        HostTensor t = allocate(Arena.ofAuto(), DType.I64, shape);
        MemorySegment.copy(values, 0, t.data, I64, 0, values.length);
        return t;
    }

    @Override
    public HostTensor host() {
        return this;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public long numel() {
        return shape.numel();
    }

    @Override
    public long byteSize() {
        return data.byteSize();
    }

    /** The raw memory. Backends and I/O only. */
    public MemorySegment segment() {
        return data;
    }

    @Override
    public float getFloat(long index) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32, index);
            case F64 -> (float) data.getAtIndex(F64, index);
            case F16 -> Float.float16ToFloat(data.getAtIndex(U16, index));
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(U16, index) & 0xffff) << 16);
            case I64 -> data.getAtIndex(I64, index);
            case I32 -> data.getAtIndex(I32, index);
            case U8, BOOL -> data.get(ValueLayout.JAVA_BYTE, index) & 0xff;
        };
    }

    @Override
    public double getDouble(long index) {
        return switch (dtype) {
            case F64 -> data.getAtIndex(F64, index);
            case I64 -> data.getAtIndex(I64, index);
            case I32 -> data.getAtIndex(I32, index);
            default -> getFloat(index);
        };
    }

    @Override
    public long getLong(long index) {
        return switch (dtype) {
            case I64 -> data.getAtIndex(I64, index);
            case I32 -> data.getAtIndex(I32, index);
            case U8, BOOL -> data.get(ValueLayout.JAVA_BYTE, index) & 0xff;
            default -> (long) getDouble(index);
        };
    }

    @Override
    public void setFloat(long index, float value) {
        switch (dtype) {
            case F32 -> data.setAtIndex(F32, index, value);
            case F64 -> data.setAtIndex(F64, index, value);
            case F16 -> data.setAtIndex(U16, index, Float.floatToFloat16(value));
            case BF16 -> data.setAtIndex(U16, index, BFloat16.fromFloat(value));
            case I64 -> data.setAtIndex(I64, index, (long) value);
            case I32 -> data.setAtIndex(I32, index, (int) value);
            case U8 -> data.set(ValueLayout.JAVA_BYTE, index, (byte) Math.max(0, Math.min(255, Math.round(value))));
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, index, (byte) (value != 0f ? 1 : 0));
        }
    }

    /** All elements as float32, converting from the stored type. */
    @Override
    public float[] toFloatArray() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32, 0, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = getFloat(i);
            }
        }
        return out;
    }

    @Override
    public double[] toDoubleArray() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    @Override
    public long[] toLongArray() {
        int n = Math.toIntExact(numel());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** A float32 copy (or this tensor when it already is float32). */
    @Override
    public Tensor toF32() {
        if (dtype == DType.F32) {
            return this;
        }
        return ofFloats(toFloatArray(), shape.dims());
    }

    /** Copies values from a tensor with the same number of elements, converting dtypes. */
    @Override
    public void copyFrom(Tensor source) {
        if (source.numel() != numel()) {
            throw new IllegalArgumentException("cannot copy " + source.shape() + " into " + shape);
        }
        if (source.dtype() == dtype) {
            MemorySegment.copy(source.host().data, 0, data, 0, numel() * dtype.byteSize());
        } else {
            for (long i = 0; i < numel(); i++) {
                setFloat(i, source.getFloat(i));
            }
        }
    }

    @Override
    public void copyFrom(float[] values) {
        if (values.length != numel() || dtype != DType.F32) {
            throw new IllegalArgumentException(values.length + " floats do not fit " + dtype + shape);
        }
        MemorySegment.copy(values, 0, data, F32, 0, values.length);
    }

    /** A view with another shape of the same size (row-major data is unchanged). */
    @Override
    public HostTensor reshape(Shape newShape) {
        if (newShape.numel() != numel()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return new HostTensor(dtype, newShape, data);
    }

    /** A view of rows [from, to) along the outermost dimension. */
    @Override
    public HostTensor slice(int from, int to) {
        Objects.checkFromToIndex(from, to, shape.dim(0));
        long rowBytes = numel() / Math.max(1, shape.dim(0)) * dtype.byteSize();
        return new HostTensor(dtype, shape.withDim(0, to - from), data.asSlice(from * rowBytes, (to - from) * rowBytes));
    }

    @Override
    public String toString() {
        return "Tensor" + dtype + shape;
    }
}
