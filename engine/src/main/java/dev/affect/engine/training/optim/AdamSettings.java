package dev.affect.engine.training.optim;

/**
 * Adam's hyper-parameters besides the rate, as torch names them.
 *
 * @param beta1       decay of the first moment (0.9)
 * @param beta2       decay of the second moment (0.999)
 * @param eps         added to the bias-corrected root of the second moment (1e-8)
 * @param weightDecay decay coefficient: coupled L2 for {@link Adam}, decoupled for {@link AdamW}
 */
public record AdamSettings(double beta1, double beta2, double eps, double weightDecay) {

    public AdamSettings {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam eps and weight decay must be >= 0, got " + eps + ", " + weightDecay);
        }
    }

    /** torch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static AdamSettings defaults() {
        return new AdamSettings(0.9, 0.999, 1e-8, 0);
    }

    public AdamSettings withWeightDecay(double decay) {
        return new AdamSettings(beta1, beta2, eps, decay);
    }
}
