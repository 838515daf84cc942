package dev.affect.engine.model.heads;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;

/**
 * The recurrent state (h, c), [H] each, of one sequence for one {@link LstmHead}: zeros when made or
 * reset. Its memory comes from the caller's {@link TensorScope} (a session's), so it lives exactly
 * as long as the caller wants; steps read and overwrite it in place and never allocate. Not
 * thread-safe: one call at a time may use a state.
 */
public final class HeadState {
    private final LstmHead head;
    private final Tensor h;
    private final Tensor c;

    HeadState(LstmHead head, TensorScope scope) {
        this.head = head;
        Shape shape = Shape.of(head.hiddenSize());
        this.h = scope.allocate(DType.F32, shape);
        this.c = scope.allocate(DType.F32, shape);
    }

    /** The head this state belongs to. */
    public LstmHead head() {
        return head;
    }

    public int hiddenSize() {
        return h.shape().dim(0);
    }

    /** The hidden state after the last frame seen, [H]; read it, do not write it. */
    public Tensor h() {
        return h;
    }

    /** The cell state after the last frame seen, [H]; read it, do not write it. */
    public Tensor c() {
        return c;
    }

    /** Back to the start of a sequence: h = c = 0. */
    public void reset() {
        for (int i = 0, n = hiddenSize(); i < n; i++) {
            h.setFloat(i, 0f);
            c.setFloat(i, 0f);
        }
    }

    /** Makes this state a copy of another one of the same head (to fork or restore a sequence). */
    public void copyFrom(HeadState other) {
        if (other.head != head) {
            throw new IllegalArgumentException("state of another head");
        }
        h.copyFrom(other.h);
        c.copyFrom(other.c);
    }
}
