package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.synth.SyntheticAbaw;
import dev.affect.engine.io.SafetensorsWriter;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.server.jobs.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code affect jobs start}, uploading a local ABAW root to a real server that trains a real head on it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsStartCommandTest {
    static final Pattern STARTED = Pattern.compile("job (job-[0-9a-f]+) PENDING; follow it with: affect jobs watch \\1");

    Path tmp;
    Path local;
    Path jobs;
    TrainingServer server;
    String target;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        Path data = tmp.resolve("server-data");
        SafetensorsWriter.write(Files.createDirectories(data).resolve("ddamfn.safetensors"), DemoWeights.ddamfn());
        local = tmp.resolve("local-abaw"); // on the client's side: the server's data roots do not hold it
        SyntheticAbaw.write(local, 4, 30, 11);
        jobs = tmp.resolve("jobs");
        server = TrainingServer.start(data, jobs);
        target = server.target;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    CliRun jobs(String... args) {
        return server.jobs(args);
    }

    @Test
    void startUploadsTheLocalRootAndTheJobTrainsOnIt() throws Exception {
        CliRun start = jobs("start", "--task", "va", "--head", "fc", "--backbone", "ddamfn.safetensors", "--upload",
                local.toString(), "--epochs", "1", "--batch", "4", "--seed", "2", "--name", "uploaded");
        assertEquals(0, start.exitCode(), start.err());
        List<String> lines = start.out().lines().toList();
        assertEquals("uploaded 120 frames of 4 videos from " + local, lines.get(0));
        Matcher m = STARTED.matcher(lines.get(1));
        assertTrue(m.matches(), start.out());
        String id = m.group(1);

        CliRun watch = jobs("watch", id);
        assertEquals(0, watch.exitCode(), watch.out() + watch.err());
        assertTrue(watch.out().contains("job " + id + " SUCCEEDED; head "), watch.out());
        Path data = jobs.resolve(id).resolve(JobStore.DATA_DIR);
        AbawDataset uploaded = AbawDataset.open(data);
        AbawDataset source = AbawDataset.open(local);
        for (AbawTask task : AbawTask.values()) {
            for (AbawSplit split : AbawSplit.values()) {
                assertEquals(source.videos(task, split), uploaded.videos(task, split), task + " " + split);
                for (String video : source.videos(task, split)) {
                    assertEquals(Files.readString(source.annotationFolder(task, split).resolve(video + ".txt")).lines()
                            .count(), Files.readString(uploaded.annotationFolder(task, split).resolve(video + ".txt"))
                            .lines().count(), video);
                    assertEquals(source.framesWithImage(video), uploaded.framesWithImage(video), video);
                }
            }
        }
        assertTrue(jobs("get", id).out().contains(data.toAbsolutePath().toString()), "get shows the job's data root");
    }

    @Test
    void badChoicesAndRefusedUploadsAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        assertOneLine(jobs("start", "--task", "va", "--backbone", "ddamfn.safetensors"),
                "affect start: --upload: give either --upload DIR");
        assertOneLine(jobs("start", "--task", "va", "--backbone", "ddamfn.safetensors", "--upload", local.toString(),
                "--data-root", "abaw"), "affect start: --upload: give either");
        assertOneLine(jobs("start", "--task", "va", "--backbone", "ddamfn.safetensors", "--upload", dir.toString()),
                "affect start: --upload: ");
        assertOneLine(jobs("start", "--task", "pose", "--backbone", "ddamfn.safetensors", "--upload", local.toString()),
                "affect start: --task: must be VA, EXPR or AU");
        // a root with no validation split: the server refuses it once every frame has come
        Path trainOnly = dir.resolve("train-only");
        for (AbawTask task : AbawTask.values()) {
            Path from = local.resolve(task.folder()).resolve(AbawSplit.TRAIN.folder());
            Path to = Files.createDirectories(trainOnly.resolve(task.folder()).resolve(AbawSplit.TRAIN.folder()));
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Files.createDirectories(trainOnly.resolve(AbawDataset.IMAGES));
        assertOneLine(jobs("start", "--task", "va", "--backbone", "ddamfn.safetensors", "--upload", trainOnly.toString()),
                "affect jobs start: INVALID_ARGUMENT: frames: no DATA_SPLIT_VALIDATION video has a VA label");
        assertOneLine(jobs("start", "--task", "va", "--backbone", "../elsewhere.pth", "--upload", local.toString()),
                "affect jobs start: PERMISSION_DENIED: spec.backbone");
    }

    private static void assertOneLine(CliRun r, String prefix) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith(prefix), r.err());
    }
}
