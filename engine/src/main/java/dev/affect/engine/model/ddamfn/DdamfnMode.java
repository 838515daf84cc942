package dev.affect.engine.model.ddamfn;

/** Which BatchNorm DDAMNet's graph uses, as torch's {@code model.eval()} / {@code model.train()}. */
public enum DdamfnMode {
    /** BatchNorm with the running statistics (serving). */
    INFERENCE,
    /**
     * BatchNorm with each batch's own statistics (momentum 0.1, eps 1e-5); every executed BatchNorm's
     * updated running mean and variance are extra graph outputs named by their state_dict keys.
     */
    TRAINING
}
