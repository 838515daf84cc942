package dev.affect.engine.graph;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.Collections;
import java.util.List;

/**
 * What a node computes. Ops hold attributes only; every tensor they read, weights included, is an
 * input value. Canonical ops are what models emit and what autograd will differentiate; fused
 * ops are emitted only by inference passes and accepted only by backends. Each backend switches
 * exhaustively over this sealed set, and the conformance catalogue fails when an op has no case.
 */
public sealed interface Op permits CanonicalOp, FusedOp, GradientOp {

    /** The output shapes for these input shapes; IllegalArgumentException when they do not fit. */
    List<Shape> outputShapes(List<Shape> inputs);

    /** The output element types; float32 unless the op says otherwise. */
    default List<DType> outputDtypes(List<DType> inputs) {
        return Collections.nCopies(outputCount(), DType.F32);
    }

    default int outputCount() {
        return 1;
    }

    /** A short description for plans, errors and profiles. */
    String describe();

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Checks the number of inputs. */
    static void arity(Op op, List<Shape> inputs, int min, int max) {
        require(inputs.size() >= min && inputs.size() <= max, op.describe() + " takes "
                + (min == max ? Integer.toString(min) : min + ".." + max) + " inputs, got " + inputs.size());
    }

    /** Normalises a possibly negative axis against a rank. */
    static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        require(a >= 0 && a < rank, "axis " + axis + " out of range for rank " + rank);
        return a;
    }
}
