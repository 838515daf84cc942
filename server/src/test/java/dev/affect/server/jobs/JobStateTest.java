package dev.affect.server.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import org.junit.jupiter.api.Test;

class JobStateTest {

    @Test
    void onlyLegalTransitionsHappen() {
        assertTrue(JobState.PENDING.canMoveTo(JobState.RUNNING));
        assertTrue(JobState.PENDING.canMoveTo(JobState.CANCELLED));
        assertTrue(JobState.RUNNING.canMoveTo(JobState.SUCCEEDED));
        assertTrue(JobState.RUNNING.canMoveTo(JobState.PENDING), "a job interrupted by a restart is queued again");
        assertFalse(JobState.PENDING.canMoveTo(JobState.SUCCEEDED), "a job cannot succeed without running");
        for (JobState end : new JobState[] {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED}) {
            for (JobState any : JobState.values()) {
                assertFalse(end.canMoveTo(any), end + " -> " + any);
            }
        }
        JobStatus succeeded = JobStatus.created(3, 1).moveTo(JobState.RUNNING, 2).moveTo(JobState.SUCCEEDED, 3);
        assertEquals(3, succeeded.endedMs());
        assertThrows(IllegalJobTransitionException.class, () -> succeeded.moveTo(JobState.RUNNING, 4));
    }

    @Test
    void badHyperParametersNameTheirField() {
        assertField("spec.hyper.learning_rate", new Hyper(-0.1, 1, 1, 1, 0, 0));
        assertField("spec.hyper.learning_rate", new Hyper(Double.NaN, 1, 1, 1, 0, 0));
        assertField("spec.hyper.epochs", new Hyper(0.1, 0, 1, 1, 0, 0));
        assertField("spec.hyper.batch_size", new Hyper(0.1, 1, 0, 1, 0, 0));
        assertField("spec.hyper.window", new Hyper(0.1, 1, 1, 0, 0, 0));
        assertField("spec.hyper.weight_decay", new Hyper(0.1, 1, 1, 1, -1, 0));
    }

    @Test
    void specDefaultsAndMetricChecks() {
        Hyper ok = new Hyper(0.1, 2, 4, 8, 0, 1);
        JobSpec spec = new JobSpec(Task.AU, HeadKind.FC, "b", "d", ok, 0, 0, "", "").normalized();
        assertEquals(JobSpec.DEFAULT_KEEP_BEST, spec.keepBest());
        assertEquals("f1_au", spec.bestMetric(), "the challenge's AU metric");
        assertEquals("train_loss", new JobSpec(Task.AU, HeadKind.FC, "b", "d", ok, 0, 0, "train_loss", "").normalized()
                .bestMetric(), "any metric the run reports for the task");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new JobSpec(Task.AU, HeadKind.FC, "b", "d", ok, 0, 0, "p_va", "").normalized());
        assertEquals("spec.best_metric", e.field());
        e = assertThrows(InvalidInputException.class,
                () -> new JobSpec(Task.VA, HeadKind.FC, "b", "d", ok, 1.0, 0, "", "").normalized());
        assertEquals("spec.validation_split", e.field());
    }

    private static void assertField(String field, Hyper h) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> h.check("spec.hyper"));
        assertEquals(field, e.field(), e.getMessage());
    }
}
