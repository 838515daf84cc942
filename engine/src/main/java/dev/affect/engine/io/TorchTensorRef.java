package dev.affect.engine.io;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A tensor as {@code _rebuild_tensor_v2} describes it: a view (offset, sizes, strides, all in
 * elements) into a storage. Kept unresolved while unpickling so that entries we skip (the
 * optimizer state) cost nothing.
 */
record TorchTensorRef(TorchStorage storage, long offset, long[] size, long[] stride) {

    TorchTensorRef {
        if (size.length != stride.length) {
            throw new PickleException("tensor has " + size.length + " sizes but " + stride.length + " strides");
        }
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0 || size[i] > Integer.MAX_VALUE) {
                throw new PickleException("bad tensor size/stride " + Arrays.toString(size) + "/"
                        + Arrays.toString(stride));
            }
            if (size[i] == 0) {
                last = -1; // empty tensor: touches no element
                break;
            }
            try {
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE; // reported as out of range below
            }
        }
        if (offset < 0 || last >= storage.numel()) {
            throw new PickleException("tensor view (offset " + offset + ", size " + Arrays.toString(size)
                    + ", stride " + Arrays.toString(stride) + ") exceeds storage " + storage.key()
                    + " of " + storage.numel() + " elements");
        }
    }

    /**
     * A Tensor over the storage bytes: a zero-copy slice when the view is dense and row-major in
     * the stored type, otherwise a contiguous copy allocated in {@code arena}.
     */
    Tensor materialize(Arena arena) {
        TorchGlobal type = storage.type();
        if (type.dtype == null) {
            throw new PickleException("unsupported storage type torch." + type.name);
        }
        Shape shape = Shape.of(size);
        int inSize = type.elementSize;
        if (isContiguous() && inSize == type.dtype.byteSize()) {
            return Tensor.wrap(storage.bytes().asSlice(offset * inSize, shape.numel() * inSize), type.dtype, shape);
        }
        int outSize = type.dtype.byteSize();
        MemorySegment out = arena.allocate(Math.max(1, shape.numel() * outSize), 64);
        long[] index = new long[size.length];
        MemorySegment in = storage.bytes();
        for (long n = 0; n < shape.numel(); n++) {
            long src = offset;
            for (int d = 0; d < size.length; d++) {
                src += index[d] * stride[d];
            }
            if (inSize == outSize) {
                MemorySegment.copy(in, src * inSize, out, n * outSize, inSize);
            } else { // IntStorage -> I64
                out.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, n,
                        in.getAtIndex(MappedFiles.U32_LE, src));
            }
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return Tensor.wrap(out, type.dtype, shape);
    }

    /** Row-major dense; strides of size-1 dimensions do not matter (torch leaves them arbitrary). */
    private boolean isContiguous() {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    DType dtype() {
        return storage.type().dtype;
    }
}
