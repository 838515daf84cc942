package dev.affect.engine.training.run;

/** The optimiser of a run, torch 1.13 semantics (the training fixtures' definitions). */
public enum OptimizerKind {
    ADAM, ADAMW, SAM;

    /** {@code adam}, {@code adamw} or {@code sam}, any case. */
    public static OptimizerKind parse(String s) {
        return Names.parse(OptimizerKind.class, "optimizer", s);
    }
}
