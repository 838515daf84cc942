package dev.affect.engine.tensor;

import java.lang.foreign.Arena;

/**
 * A dense, row-major (C order) tensor: element type, shape and where its memory lives. The seam
 * between host and device memory: today every tensor is a {@link HostTensor}; the CUDA backend adds
 * a device kind to this sealed set, whose elements are reached by copying into a host tensor the
 * caller owns ({@link #host()} refuses on a device tensor rather than copying behind the caller's back).
 *
 * <p>Model and layer code reads and writes through the typed accessors below; only backends and I/O
 * touch a host tensor's raw memory ({@link HostTensor#segment()}), which an ArchUnit rule keeps so.
 */
public sealed interface Tensor permits HostTensor {

    /**
     * A garbage-collected float32 tensor, for tests, tools and small results handed to a caller. Long-lived
     * or large memory belongs to a {@link TensorScope} (a plan, a context, a session, a request).
     */
    static Tensor zeros(Shape shape) {
        return HostTensor.allocate(Arena.ofAuto(), DType.F32, shape);
    }

    /** As {@link #zeros(Shape)} with another element type. */
    static Tensor zeros(DType dtype, Shape shape) {
        return HostTensor.allocate(Arena.ofAuto(), dtype, shape);
    }

    /** A garbage-collected copy of {@code t}: same element type, shape and values, memory of its own. */
    static Tensor copyOf(Tensor t) {
        Tensor copy = zeros(t.dtype(), t.shape());
        copy.copyFrom(t);
        return copy;
    }

    /** A garbage-collected float32 copy of {@code values} (tests and tools). */
    static Tensor of(float[] values, int... dims) {
        return HostTensor.ofFloats(values, dims);
    }

    /** A garbage-collected int64 copy of {@code values} (tests and tools). */
    static Tensor ofLongs(long[] values, int... dims) {
        return HostTensor.ofLongValues(values, dims);
    }

    /** Wraps existing host memory (a mapped checkpoint, a backend buffer); the caller owns its lifetime. */
    static HostTensor wrap(java.lang.foreign.MemorySegment data, DType dtype, Shape shape) {
        return HostTensor.wrap(data, dtype, shape);
    }

    DType dtype();

    Shape shape();

    long numel();

    long byteSize();

    /** This tensor as host memory; a device tensor refuses (copy it into a host tensor instead). */
    HostTensor host();

    float getFloat(long index);

    double getDouble(long index);

    long getLong(long index);

    void setFloat(long index, float value);

    /** All elements as float32, converting from the stored type. */
    float[] toFloatArray();

    double[] toDoubleArray();

    long[] toLongArray();

    /** A float32 copy (or this tensor when it already is float32). */
    Tensor toF32();

    /** Copies values from a tensor with the same number of elements, converting dtypes. */
    void copyFrom(Tensor source);

    void copyFrom(float[] values);

    /** A view with another shape of the same size (row-major data is unchanged). */
    Tensor reshape(Shape newShape);

    /** A view of rows [from, to) along the outermost dimension. */
    Tensor slice(int from, int to);
}
