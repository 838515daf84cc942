package dev.affect.engine.training.run;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a run ended. {@code state} is the last committed epoch's (what a resume starts from); a
 * FAILED run names where its loss stopped being finite.
 */
public record RunResult(Status status, RunState state, Optional<Divergence> divergence, Path directory,
                        String weightsFile) {
    public enum Status { SUCCEEDED, FAILED, CANCELLED }

    /**
     * Where the loss became NaN or infinite.
     *
     * @param step 1-based within the epoch
     */
    public record Divergence(int epoch, int step, long globalStep, double loss) {
        public String message() {
            return "training diverged: loss " + loss + " at epoch " + epoch + ", step " + step
                    + " (global step " + globalStep + ")";
        }
    }

    /** The best epoch's weights: the run folder's head.safetensors, or backbone.safetensors for a fine-tuned DDAMFN. */
    public Path bestWeights() {
        return directory.resolve(weightsFile);
    }
}
