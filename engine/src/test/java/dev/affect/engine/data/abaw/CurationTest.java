package dev.affect.engine.data.abaw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbawDataset} and {@link Curation} on {@link AbawFixture#standard}: exact counts per task and split. */
class CurationTest {
    @TempDir
    Path root;

    @Test
    void countsEveryTaskAndSplitExactly() throws IOException {
        AbawFixture.standard(root);
        List<Curation.Summary> rows = Curation.summarize(AbawDataset.open(root));
        assertEquals(List.of(
                new Curation.Summary(AbawTask.VA, AbawSplit.TRAIN, 3, 12, 9, 2, 1),
                new Curation.Summary(AbawTask.VA, AbawSplit.VALIDATION, 1, 3, 1, 1, 1),
                new Curation.Summary(AbawTask.EXPR, AbawSplit.TRAIN, 2, 6, 3, 1, 2),
                new Curation.Summary(AbawTask.EXPR, AbawSplit.VALIDATION, 0, 0, 0, 0, 0),
                new Curation.Summary(AbawTask.AU, AbawSplit.TRAIN, 1, 3, 1, 2, 0),
                new Curation.Summary(AbawTask.AU, AbawSplit.VALIDATION, 2, 3, 2, 0, 1)), rows);
    }

    @Test
    void listsLeftAndRightSubjectsAsVideosOfTheirOwn() throws IOException {
        AbawFixture.standard(root);
        AbawDataset ds = AbawDataset.open(root);
        assertEquals(List.of("1-30-1280x720", "10-60-1280x720_left", "10-60-1280x720_right"),
                ds.videos(AbawTask.VA, AbawSplit.TRAIN));
        assertEquals(List.of("20-24-1920x1080_left", "20-24-1920x1080_right"), ds.videos(AbawTask.AU, AbawSplit.VALIDATION));
        assertEquals(List.of(), ds.videos(AbawTask.EXPR, AbawSplit.VALIDATION));
        assertEquals("10-60-1280x720", AbawDataset.sourceVideo("10-60-1280x720_right"));
        assertEquals("10-60-1280x720", AbawDataset.sourceVideo("10-60-1280x720_left"));
        assertEquals("video10_1", AbawDataset.sourceVideo("video10_1"));
    }

    @Test
    void framesCarryTheirImageOrNoneAndLineKPlusOneIsFrameK() throws IOException {
        AbawFixture.standard(root);
        AbawDataset ds = AbawDataset.open(root);
        List<AbawFrame> frames = ds.frames(AbawTask.VA, AbawSplit.TRAIN, "10-60-1280x720_left");
        assertEquals(3, frames.size());
        AbawFrame first = frames.get(0);
        assertEquals(1, first.index());
        assertArrayEquals(new float[] {0.1f, 0.2f}, first.label());
        assertEquals(Optional.of(root.resolve("cropped_aligned/10-60-1280x720_left/00001.jpg")), first.image());
        assertTrue(Files.isRegularFile(first.image().orElseThrow()));
        assertEquals(Optional.empty(), frames.get(1).image());
        assertArrayEquals(new float[] {-0.5f, -0.6f}, frames.get(2).label());
        assertFalse(Curation.keeps(frames.get(1)));

        List<AbawFrame> kept = Curation.kept(ds, AbawTask.VA, AbawSplit.TRAIN, "1-30-1280x720");
        assertEquals(List.of(1, 3, 5), kept.stream().map(AbawFrame::index).toList());
        List<AbawFrame> expr = ds.frames(AbawTask.EXPR, AbawSplit.TRAIN, "118-30-640x480");
        assertArrayEquals(new float[] {7f}, expr.get(1).label());
        assertTrue(expr.get(2).invalid());
    }

    @Test
    void aMissingRootOrImageFolderIsNoSuchFile() throws IOException {
        assertThrows(NoSuchFileException.class, () -> AbawDataset.open(root.resolve("absent")));
        new AbawFixture(root).annotations(AbawTask.VA, AbawSplit.TRAIN, "v", "0,0");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AbawDataset.open(root));
        assertEquals(root.resolve("cropped_aligned").toString(), e.getFile());
    }

    @Test
    void aRootWithoutTaskFoldersIsRefused() throws IOException {
        Files.createDirectories(root.resolve("cropped_aligned"));
        IOException e = assertThrows(IOException.class, () -> AbawDataset.open(root));
        assertTrue(e.getMessage().startsWith(root + ": not an ABAW annotation root"), e.getMessage());
        assertTrue(e.getMessage().contains("VA_Estimation_Challenge"), e.getMessage());
    }

    @Test
    void aMalformedLineAnywhereFailsTheSummaryWithFileAndLine() throws IOException {
        AbawFixture.standard(root);
        Path bad = new AbawFixture(root).annotations(AbawTask.AU, AbawSplit.TRAIN, "video4",
                "0,0,0,0,0,0,0,0,0,0,0,0", "0,0,0,0,0,0,0,0,0,0,0,2");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class,
                () -> Curation.summarize(AbawDataset.open(root)));
        assertEquals(bad, e.file());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(bad + ":3: "), e.getMessage());
    }
}
