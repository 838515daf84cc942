package dev.affect.engine.training.run;

import dev.affect.engine.training.optim.Adam;
import dev.affect.engine.training.optim.AdamSettings;
import dev.affect.engine.training.optim.AdamW;
import dev.affect.engine.training.optim.LearningRate;
import dev.affect.engine.training.optim.Optimizer;
import dev.affect.engine.training.optim.Sam;

/** The optimiser a run config names, at a schedule's rate. */
final class Optimizers {
    private Optimizers() {
    }

    static Optimizer of(RunConfig config, LearningRate rate) {
        AdamSettings adam = AdamSettings.defaults();
        return switch (config.optimizer()) {
            case ADAM -> new Adam(rate, adam);
            case ADAMW -> new AdamW(rate, adam.withWeightDecay(config.weightDecay()));
            // DDAMFN++'s SAM wraps Adam; a weight decay given with SAM is decoupled, as AdamW's
            case SAM -> new Sam(config.weightDecay() > 0 ? new AdamW(rate, adam.withWeightDecay(config.weightDecay()))
                    : new Adam(rate, adam), config.rho());
        };
    }
}
