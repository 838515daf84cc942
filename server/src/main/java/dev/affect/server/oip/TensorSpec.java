package dev.affect.server.oip;

import java.util.Arrays;

/** An input or output of a model as the protocol describes it: name, datatype, shape (-1 = the batch). */
record TensorSpec(String name, String datatype, long[] shape) {
    static final String FP32 = "FP32";

    static TensorSpec fp32(String name, long... shape) {
        return new TensorSpec(name, FP32, shape);
    }

    /** Elements per batch row: the product of the dimensions after the first. */
    long rowSize() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    String shapeText() {
        return Arrays.toString(shape).replace(" ", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && datatype.equals(t.datatype) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + datatype + shapeText();
    }
}
