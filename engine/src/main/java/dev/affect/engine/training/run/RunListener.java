package dev.affect.engine.training.run;

/** Callbacks of a run, on the training thread: keep them quick. */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    /** After every optimiser step. */
    default void step(StepProgress progress) {
    }

    /** After an epoch's validation and checkpoint; {@code state} is what a resume would start from. */
    default void epoch(EpochRecord record, RunState state) {
    }
}
