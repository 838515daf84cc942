package dev.affect.engine.data.abaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.synth.SyntheticAbaw;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fraction of the training videos as the validation split ({@code validation_split} of jobs and runs). */
class AbawDatasetHoldoutTest {
    @TempDir
    static Path root;
    static AbawDataset release;

    @BeforeAll
    static void write() throws IOException {
        SyntheticAbaw.write(root, 10, 12, 5);
        release = AbawDataset.open(root);
    }

    @Test
    void heldOutTrainingVideosBecomeTheValidationSplitAndLeaveTraining() throws IOException {
        AbawDataset view = release.holdingOut(0.25, 3);
        for (AbawTask task : AbawTask.values()) {
            List<String> train = release.videos(task, AbawSplit.TRAIN);
            List<String> kept = view.videos(task, AbawSplit.TRAIN);
            List<String> held = view.videos(task, AbawSplit.VALIDATION);
            long sources = held.stream().map(AbawDataset::sourceVideo).distinct().count();
            assertEquals(2, sources, task + ": round(0.25 x 7 source videos; the first has two subjects) " + held);
            assertTrue(held.stream().noneMatch(kept::contains), "disjoint");
            List<String> union = new ArrayList<>(kept);
            union.addAll(held);
            union.sort(null);
            assertEquals(train, union, "every training video on one side");
            assertTrue(release.videos(task, AbawSplit.VALIDATION).stream().noneMatch(held::contains),
                    "the release's own validation videos are not used");
            for (String v : held) {
                assertEquals(release.annotations(task, AbawSplit.TRAIN, v).frames(),
                        view.annotations(task, AbawSplit.VALIDATION, v).frames(), "read from the training folder");
            }
        }
        assertEquals(view.videos(AbawTask.VA, AbawSplit.VALIDATION),
                release.holdingOut(0.25, 3).videos(AbawTask.VA, AbawSplit.VALIDATION), "same seed, same videos");
        Set<List<String>> bySeed = new HashSet<>();
        for (long seed = 0; seed < 6; seed++) {
            bySeed.add(release.holdingOut(0.25, seed).videos(AbawTask.VA, AbawSplit.VALIDATION));
        }
        assertTrue(bySeed.size() > 1, "the seed chooses");
    }

    @Test
    void aVideosTwoSubjectsStayOnOneSide() throws IOException {
        for (long seed = 0; seed < 12; seed++) {
            List<String> held = release.holdingOut(0.4, seed).videos(AbawTask.EXPR, AbawSplit.VALIDATION);
            assertEquals(held.contains("1-30-640x480_left"), held.contains("1-30-640x480_right"), "seed " + seed);
        }
    }

    @Test
    void fractionsOutsideTheOpenIntervalAreRefusedNamingTheField() {
        for (double f : new double[] {0, 1, -0.1, Double.NaN}) {
            assertEquals("validation_split",
                    assertThrows(InvalidInputException.class, () -> release.holdingOut(f, 0)).field());
        }
    }
}
