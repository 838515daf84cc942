package dev.affect.engine.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.training.data.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RunConfigTest {
    private static final RunConfig VA = RunConfig.defaults(AbawTask.VA, HeadKind.LSTM);

    private static void rejects(String field, Executable make) {
        InvalidInputException e = assertThrows(InvalidInputException.class, make);
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void defaultsFollowThePaper() {
        assertEquals(new WindowSpec(10, 10), VA.window());
        assertEquals(new WindowSpec(10, 5), RunConfig.defaults(AbawTask.EXPR, HeadKind.FC).window());
        assertEquals(Metric.F1_AU, RunConfig.defaults(AbawTask.AU, HeadKind.FC).metric());
        assertEquals(OptimizerKind.ADAM, VA.optimizer());
    }

    @Test
    void badHyperParametersNameTheirField() {
        rejects("lr", () -> VA.withOptimizer(OptimizerKind.ADAM, -1e-3, 0));
        rejects("lr", () -> VA.withOptimizer(OptimizerKind.ADAM, Double.NaN, 0));
        rejects("weight_decay", () -> VA.withOptimizer(OptimizerKind.ADAMW, 1e-3, -0.1));
        rejects("weight_decay", () -> VA.withOptimizer(OptimizerKind.ADAM, 1e-3, 0.1));
        rejects("window", () -> VA.withWindow(new WindowSpec(0, 1)));
        rejects("stride", () -> VA.withWindow(new WindowSpec(10, 11)));
        rejects("epochs", () -> VA.withEpochs(0));
        rejects("schedule.warmup_epochs", () -> VA.withEpochs(2).withSchedule(LrSchedule.cosine(2)));
        rejects("batch", () -> VA.withBatch(0));
        rejects("keep_best", () -> VA.withSelection(Metric.P_VA, 0));
        rejects("metric", () -> VA.withSelection(Metric.F1_AU, 1));
        rejects("task", () -> RunConfig.parseTask("valence"));
        rejects("head", () -> HeadKind.parse("gru"));
        rejects("optimizer", () -> OptimizerKind.parse("sgd"));
        rejects("metric", () -> Metric.parse("auc"));
        rejects("schedule", () -> LrSchedule.parse("linear"));
    }

    @Test
    void namesParseInAnyCase() {
        assertEquals(AbawTask.EXPR, RunConfig.parseTask("expr"));
        assertEquals(HeadKind.LSTM, HeadKind.parse("LSTM"));
        assertEquals(OptimizerKind.ADAMW, OptimizerKind.parse("adamw"));
        assertEquals(Metric.F1_AU_OPTIMIZED, Metric.parse("f1_au_optimized"));
        assertTrue(Metric.TRAIN_LOSS.appliesTo(AbawTask.AU));
    }
}
