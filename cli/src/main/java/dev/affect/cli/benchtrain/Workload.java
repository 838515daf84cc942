package dev.affect.cli.benchtrain;

/**
 * One training workload ready to step: its model, optimiser, inputs and targets are set up, so a
 * step is only the work being timed (forward, loss, backward, optimiser update).
 */
public interface Workload extends AutoCloseable {
    WorkloadKey key();

    int framesPerStep();

    void step();

    @Override
    void close();
}
