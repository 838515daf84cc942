package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.JobInfo;
import dev.affect.client.TrainingFrame;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.abaw.AnnotationFile;
import dev.affect.proto.v1.DataSplit;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.FrameLabel;
import dev.affect.proto.v1.HeadKind;
import dev.affect.proto.v1.HyperParameters;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.JobState;
import dev.affect.proto.v1.LabelledFrame;
import dev.affect.proto.v1.Tensor;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.jobs.DeterministicRunner;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.JobRecord;
import dev.affect.server.jobs.JobStore;
import dev.affect.server.jobs.SyntheticJobData;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * StartJobStream through the SDK on real servers on real ports: one training with the real trainer on
 * uploaded synthetic frames, one with a tiny upload cap (and the deterministic runner) for refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartJobStreamTest {
    /** Fits a few frames of the synthetic set (about 3 KB a JPEG), not all of them. */
    static final long TINY_CAP = 40_000;

    Path data;
    Path jobs;
    Path tinyJobs;
    ServerMain server;
    ServerMain tiny;
    AffectClient client;
    AffectClient tinyClient;
    List<TrainingFrame> frames;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        data = SyntheticJobData.write(tmp.resolve("data"));
        frames = frames(data.resolve(SyntheticJobData.DATA));
        jobs = tmp.resolve("jobs");
        tinyJobs = tmp.resolve("tiny-jobs");
        server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), new PipelineRegistry(), null,
                new TrainingSetup(List.of(data), jobs, SyntheticJobData.runner(jobs), JobManager.Settings.defaults()));
        client = AffectClient.connect("localhost", server.start());
        tiny = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), new PipelineRegistry(), null,
                new TrainingSetup(List.of(data), tinyJobs, new DeterministicRunner(2, 0, null),
                        JobManager.Settings.defaults().withMaxUploadBytes(TINY_CAP)));
        tinyClient = AffectClient.connect("localhost", tiny.start());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {client, tinyClient, server, tiny}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    static JobSpec.Builder spec() {
        return JobSpec.newBuilder().setTask(dev.affect.proto.v1.Task.TASK_VA).setHead(HeadKind.HEAD_FC)
                .setBackbone(SyntheticJobData.BACKBONE)
                .setHyper(HyperParameters.newBuilder().setEpochs(1).setBatchSize(4).setWindow(10).setSeed(3));
    }

    /** Every frame of both splits of an ABAW root, video by video, each with its index, labels and image bytes. */
    static List<TrainingFrame> frames(Path root) throws IOException {
        AbawDataset ds = AbawDataset.open(root);
        List<TrainingFrame> out = new ArrayList<>();
        for (AbawSplit split : AbawSplit.values()) {
            TreeSet<String> videos = new TreeSet<>();
            for (AbawTask task : AbawTask.values()) {
                videos.addAll(ds.videos(task, split));
            }
            for (String video : videos) {
                Map<AbawTask, AnnotationFile> files = new java.util.EnumMap<>(AbawTask.class);
                int n = 0;
                for (AbawTask task : AbawTask.values()) {
                    if (ds.videos(task, split).contains(video)) {
                        AnnotationFile f = ds.annotations(task, split, video);
                        files.put(task, f);
                        n = Math.max(n, f.frames());
                    }
                }
                BitSet images = ds.framesWithImage(video);
                for (int k = 1; k <= n; k++) {
                    FrameLabel.Builder label = FrameLabel.newBuilder();
                    for (Map.Entry<AbawTask, AnnotationFile> e : files.entrySet()) {
                        if (k > e.getValue().frames()) {
                            continue;
                        }
                        float[] l = e.getValue().label(k);
                        switch (e.getKey()) {
                            case VA -> label.setValence(l[0]).setArousal(l[1]);
                            case EXPR -> label.setExpression((int) l[0]);
                            case AU -> {
                                for (float v : l) {
                                    label.addActionUnits((int) v);
                                }
                            }
                        }
                    }
                    byte[] image = images.get(k) ? Files.readAllBytes(ds.imagePath(video, k)) : null;
                    out.add(TrainingFrame.of(video, split == AbawSplit.TRAIN ? DataSplit.DATA_SPLIT_TRAIN
                            : DataSplit.DATA_SPLIT_VALIDATION, k, image, label.build()));
                }
            }
        }
        return out;
    }

    @Test
    void uploadedFramesTrainAJobAndReadBackAsTheSource() throws Exception {
        JobInfo started = client.startJob(spec().build(), frames.iterator());
        assertEquals(JobState.PENDING, started.state());
        Path dataDir = jobs.toAbsolutePath().resolve(started.id()).resolve(JobStore.DATA_DIR);
        assertEquals(dataDir.toString(), started.proto().getSpec().getDataRoot(), "the job's data is in its own folder");
        JobRecord stored = new JobStore(jobs).loadAll().stream().filter(j -> j.id().equals(started.id())).findFirst()
                .orElseThrow();
        assertEquals(dataDir.toString(), stored.spec().dataRoot(), "a restarted server finds the data through job.json");

        JobInfo end = client.watchJob(started.id(), u -> { });
        assertEquals(JobState.SUCCEEDED, end.state(), end.error());
        assertTrue(end.validationMetrics().containsKey("p_va"), end.validationMetrics().toString());

        assertSameDataset(AbawDataset.open(data.resolve(SyntheticJobData.DATA)), AbawDataset.open(dataDir));
        assertNoUploadLeft(jobs);
    }

    /** Same videos per task and split, same labels frame by frame, same frames with an image, same image bytes. */
    static void assertSameDataset(AbawDataset expected, AbawDataset actual) throws IOException {
        int compared = 0;
        for (AbawTask task : AbawTask.values()) {
            for (AbawSplit split : AbawSplit.values()) {
                List<String> videos = expected.videos(task, split);
                assertEquals(videos, actual.videos(task, split), task + " " + split);
                for (String video : videos) {
                    AnnotationFile e = expected.annotations(task, split, video);
                    AnnotationFile a = actual.annotations(task, split, video);
                    assertEquals(e.frames(), a.frames(), video);
                    for (int k = 1; k <= e.frames(); k++) {
                        assertArrayEquals(e.label(k), a.label(k), video + " frame " + k + " " + task);
                        compared++;
                    }
                    BitSet images = expected.framesWithImage(video);
                    assertEquals(images, actual.framesWithImage(video), video + ": frames with an image");
                    for (int k = images.nextSetBit(0); k >= 0; k = images.nextSetBit(k + 1)) {
                        assertArrayEquals(Files.readAllBytes(expected.imagePath(video, k)),
                                Files.readAllBytes(actual.imagePath(video, k)), video + " image " + k);
                    }
                }
            }
        }
        assertEquals(3 * SyntheticJobData.VIDEOS * SyntheticJobData.FRAMES, compared, "every label of every task");
    }

    @Test
    void anUploadPastTheCapIsResourceExhaustedAndLeavesNothing() throws Exception {
        AffectClientException.ResourceExhausted e = assertThrows(AffectClientException.ResourceExhausted.class,
                () -> tinyClient.startJob(spec().build(), frames.iterator()));
        assertTrue(e.getMessage().contains(TINY_CAP + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("--max-upload-bytes"), e.getMessage());
        assertNoUploadLeft(tinyJobs);
        assertTrue(tinyClient.listJobs(null).isEmpty());
    }

    @Test
    void badNamesLabelsOrderAndImagesAreInvalidArgumentsNamingTheField() throws Exception {
        TrainingFrame first = frames.getFirst();
        assertInvalid("frames[0].video", List.of(with(first, f -> f.setVideo("../escape"))));
        assertInvalid("frames[0].video", List.of(with(first, f -> f.setVideo("a/b"))));
        assertInvalid("frames[0].video", List.of(with(first, f -> f.setVideo(""))));
        assertInvalid("frames[0].video", List.of(with(first, f -> f.setVideo(".."))));
        assertInvalid("frames[2].label.valence", List.of(first, frames.get(1),
                with(frames.get(2), f -> f.setLabel(f.getLabel().toBuilder().setValence(1.5f)))));
        assertInvalid("frames[0].label.arousal", List.of(with(first, f -> f.setLabel(f.getLabel().toBuilder()
                .clearArousal()))));
        assertInvalid("frames[0].label.expression", List.of(with(first, f -> f.setLabel(f.getLabel().toBuilder()
                .setExpression(8)))));
        assertInvalid("frames[0].label.action_units", List.of(with(first, f -> f.setLabel(f.getLabel().toBuilder()
                .clearActionUnits().addActionUnits(1)))));
        assertInvalid("frames[1].index", List.of(first, new TrainingFrame(frames.get(1).frame(), first.split(), 1)),
                "duplicate");
        assertInvalid("frames[2].index", List.of(frames.get(1), frames.get(2),
                new TrainingFrame(first.frame(), first.split(), 1)));
        assertInvalid("frames[0].frame.image", List.of(with(first, f -> f.setFrame(Frame.newBuilder()
                .setImage(ByteString.copyFromUtf8("GIF89a not a face"))))));
        assertInvalid("frames[0].frame.normalized", List.of(with(first, f -> f.setFrame(Frame.newBuilder()
                .setNormalized(Tensor.newBuilder().addShape(1))))));
        assertInvalid("frames[0].split", List.of(new TrainingFrame(first.frame(), DataSplit.DATA_SPLIT_UNSPECIFIED, 1)));
        assertInvalid("frames[1].split", List.of(first, new TrainingFrame(frames.get(1).frame(),
                DataSplit.DATA_SPLIT_VALIDATION, 0)));
        // a video that already ended: first video, second video, back to the first
        TrainingFrame otherVideo = frames.stream().filter(f -> !f.frame().getVideo().equals(first.frame().getVideo()))
                .findFirst().orElseThrow();
        assertInvalid("frames[2].video", List.of(first, otherVideo, new TrainingFrame(frames.get(1).frame(),
                first.split(), 0)));
        // nothing for the validation split
        assertInvalid("frames", frames.stream().filter(f -> f.split() == DataSplit.DATA_SPLIT_TRAIN).limit(3).toList());
        AffectClientException.InvalidArgument e = assertThrows(AffectClientException.InvalidArgument.class,
                () -> tinyClient.startJob(spec().setDataRoot(SyntheticJobData.DATA).build(), List.of(first).iterator()));
        assertTrue(e.getMessage().contains("spec.data_root"), e.getMessage());
        assertTrue(tinyClient.listJobs(null).isEmpty(), "no refused upload became a job");
    }

    @Test
    void aCancelledUploadLeavesNothing() throws Exception {
        // the iterator gives a video's frames, waits until the server has written some of them, then fails:
        // the SDK cancels the call
        int jobsBefore = client.listJobs(null).size();
        Iterator<TrainingFrame> source = frames.iterator();
        int[] sent = {0};
        Iterator<TrainingFrame> failing = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public TrainingFrame next() {
                if (sent[0]++ < 5) {
                    return source.next();
                }
                awaitStagedImage(jobs);
                throw new IllegalStateException("the camera went away");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.startJob(spec().build(), failing));
        assertEquals("the camera went away", e.getMessage());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!uploads(jobs).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNoUploadLeft(jobs);
        assertEquals(jobsBefore, client.listJobs(null).size(), "a cancelled upload is no job");
    }

    /** Waits (up to 10 s) until an upload folder on disk holds an image. */
    static void awaitStagedImage(Path jobsDir) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Path u : uploads(jobsDir)) {
                try (Stream<Path> walk = Files.walk(u)) {
                    if (walk.anyMatch(p -> p.toString().endsWith(".jpg"))) {
                        return;
                    }
                } catch (IOException | UncheckedIOException ignored) {
                    // it may be deleted or changing while listed
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("no upload folder with an image appeared under " + jobsDir);
    }

    void assertInvalid(String field, List<TrainingFrame> sent) throws IOException {
        assertInvalid(field, sent, "");
    }

    void assertInvalid(String field, List<TrainingFrame> sent, String what) throws IOException {
        AffectClientException.InvalidArgument e = assertThrows(AffectClientException.InvalidArgument.class,
                () -> tinyClient.startJob(spec().build(), sent.iterator()), field + " " + what);
        assertTrue(e.getMessage().contains(field + ":"), "expected the field " + field + " in: " + e.getMessage());
        assertNoUploadLeft(tinyJobs);
    }

    static TrainingFrame with(TrainingFrame f, UnaryOperator<LabelledFrame.Builder> change) {
        return new TrainingFrame(change.apply(f.frame().toBuilder()).build(), f.split(), f.index());
    }

    static List<Path> uploads(Path jobsDir) {
        if (!Files.isDirectory(jobsDir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(jobsDir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(".upload-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertNoUploadLeft(Path jobsDir) throws IOException {
        assertEquals(List.of(), uploads(jobsDir), "no upload folder stays behind");
        if (Files.isDirectory(jobsDir)) {
            try (Stream<Path> list = Files.list(jobsDir)) {
                for (Path job : list.filter(Files::isDirectory).toList()) {
                    boolean hasData = Files.exists(job.resolve(JobStore.DATA_DIR));
                    assertFalse(hasData && !Files.exists(job.resolve(JobStore.JOB_FILE)),
                            job + " has data but no job");
                }
            }
        }
    }
}
