package dev.affect.engine.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.data.abaw.AbawFrame;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.Curation;
import dev.affect.engine.data.cache.VideoEmbeddings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowedSplitTest {
    @TempDir
    static Path dir;
    private static SynthSet set;

    @BeforeAll
    static void setUp() throws IOException {
        set = SynthSet.create(dir, 5, 57, 11);
    }

    /** Every frame with a face and a valid label, per video, as curation keeps them. */
    private static Map<String, List<AbawFrame>> kept(AbawTask task, AbawSplit split) throws IOException {
        Map<String, List<AbawFrame>> kept = new HashMap<>();
        for (String v : set.dataset().videos(task, split)) {
            kept.put(v, Curation.kept(set.dataset(), task, split, v));
        }
        return kept;
    }

    @Test
    void tiledWindowsHoldEveryCuratedFrameOnceWithItsEmbeddingAndLabel() throws IOException {
        WindowSpec spec = new WindowSpec(10, 10);
        WindowedSplit split = WindowedSplit.open(set.dataset(), set.cache(), AbawTask.AU, AbawSplit.TRAIN, spec, Tail.PAD);
        Map<String, List<AbawFrame>> kept = kept(AbawTask.AU, AbawSplit.TRAIN);
        long curated = kept.values().stream().mapToLong(List::size).sum();
        assertEquals(curated, split.validFrames());

        int[] order = EpochOrder.sequential(split.size());
        List<float[]> seenRows = new ArrayList<>();
        List<float[]> seenLabels = new ArrayList<>();
        try (WindowBatch b = split.batch(order, 0, split.size())) {
            assertEquals(List.of(split.size(), 10, 512), Arrays.stream(b.embeddings().shape().dims()).boxed().toList());
            float[] x = b.embeddings().toFloatArray();
            for (int r = 0; r < b.rows(); r++) {
                if (b.mask()[r] != 0) {
                    seenRows.add(Arrays.copyOfRange(x, r * 512, (r + 1) * 512));
                    seenLabels.add(Arrays.copyOfRange(b.labels(), r * 12, (r + 1) * 12));
                }
            }
        }
        List<float[]> expectedRows = new ArrayList<>();
        List<float[]> expectedLabels = new ArrayList<>();
        for (String v : set.dataset().videos(AbawTask.AU, AbawSplit.TRAIN)) {
            VideoEmbeddings e = set.cache().embeddingsFor(v);
            for (AbawFrame f : kept.get(v)) {
                expectedRows.add(e.row(f.index()));
                expectedLabels.add(f.label());
            }
        }
        assertEquals(expectedRows.size(), seenRows.size());
        for (int i = 0; i < expectedRows.size(); i++) {
            assertArrayEquals(expectedRows.get(i), seenRows.get(i), "row " + i);
            assertArrayEquals(expectedLabels.get(i), seenLabels.get(i), "label " + i);
        }
    }

    @Test
    void windowsStayInOneVideoAndPaddingAndInvalidLabelsAreMasked() throws IOException {
        WindowedSplit split = WindowedSplit.open(set.dataset(), set.cache(), AbawTask.VA, AbawSplit.TRAIN,
                new WindowSpec(10, 10), Tail.PAD);
        int[] order = EpochOrder.sequential(split.size());
        int padded = 0;
        int invalid = 0;
        try (WindowBatch b = split.batch(order, 0, split.size())) {
            float[] x = b.embeddings().toFloatArray();
            for (int r = 0; r < b.rows(); r++) {
                boolean zeroRow = true;
                for (int j = 0; j < 512 && zeroRow; j++) {
                    zeroRow = x[r * 512 + j] == 0;
                }
                boolean invalidLabel = b.labels()[r * 2] == -5f;
                if (zeroRow) {
                    padded++;
                    assertEquals(0f, b.mask()[r], "padding row " + r + " is masked");
                } else if (invalidLabel) {
                    invalid++;
                    assertEquals(0f, b.mask()[r], "invalid label row " + r + " is masked");
                } else {
                    assertEquals(1f, b.mask()[r], "row " + r);
                }
            }
        }
        assertTrue(invalid > 0, "the synthetic set has invalid VA labels among frames with a face");
        // each of the 4 training videos of ~55 face frames ends in one padded window: 57 frames never divide by 10
        assertTrue(padded > 0);
        for (int i = 0; i < split.size(); i++) {
            String[] parts = split.describe(i).split("@");
            assertTrue(set.dataset().videos(AbawTask.VA, AbawSplit.TRAIN).contains(parts[0]));
        }
    }

    @Test
    void exprDefaultsOverlapAndAlignedTailsAreFull() throws IOException {
        WindowSpec spec = WindowSpec.defaultsFor(AbawTask.EXPR);
        assertEquals(new WindowSpec(10, 5), spec);
        WindowedSplit overlapping = WindowedSplit.open(set.dataset(), set.cache(), AbawTask.EXPR, AbawSplit.TRAIN,
                spec, Tail.ALIGN_END);
        WindowedSplit tiled = WindowedSplit.open(set.dataset(), set.cache(), AbawTask.EXPR, AbawSplit.TRAIN,
                spec.tiling(), Tail.ALIGN_END);
        assertTrue(overlapping.size() > tiled.size() * 3 / 2, overlapping.size() + " vs " + tiled.size());
        try (WindowBatch b = tiled.batch(EpochOrder.sequential(tiled.size()), 0, tiled.size())) {
            float[] x = b.embeddings().toFloatArray();
            for (int r = 0; r < b.rows(); r++) {
                boolean zeroRow = true;
                for (int j = 0; j < 512 && zeroRow; j++) {
                    zeroRow = x[r * 512 + j] == 0;
                }
                assertTrue(!zeroRow, "aligned tails need no padding (videos are longer than a window), row " + r);
            }
        }
    }
}
