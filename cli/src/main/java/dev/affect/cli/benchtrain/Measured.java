package dev.affect.cli.benchtrain;

/**
 * affect's result for one workload: its figures, or why it could not run (a backend without the
 * backward ops yet), so the others and the peer still report.
 */
record Measured(WorkloadKey key, StepFigures figures, String error) {
    static Measured of(WorkloadKey key, StepFigures figures) {
        return new Measured(key, figures, null);
    }

    static Measured failed(WorkloadKey key, String error) {
        return new Measured(key, null, error);
    }
}
