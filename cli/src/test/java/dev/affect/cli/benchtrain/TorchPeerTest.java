package dev.affect.cli.benchtrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.heads.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process boundary to the PyTorch peer, with stand-in interpreters (shell scripts): what it is
 * told, how its lines are read, and the one-line reasons when it cannot give figures.
 */
class TorchPeerTest {
    @TempDir
    Path dir;

    Path fakePython(String body) throws IOException {
        Path p = dir.resolve("python-" + Math.abs(body.hashCode()));
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    TrainBenchSettings settings(Path python) throws IOException {
        Path script = Files.writeString(dir.resolve("train_bench.py"), "# stand-in\n");
        return new TrainBenchSettings(Set.of("heads"), List.of("fc"), List.of(Task.VA, Task.AU), 4, 3, 2, 5, 1, 2, 3, null,
                python, script);
    }

    @Test
    void thePeerIsToldTheSameWorkloadsSizesStepsAndThreads() throws Exception {
        TrainBenchSettings s = settings(dir.resolve("python"));
        String cmd = String.join(" ", TorchPeer.command(s));
        for (String expected : new String[] {"--threads 3", "--workloads heads", "--heads fc", "--tasks va,au", "--windows 4",
                "--window 3", "--ddamfn-batch 2", "--steps 5", "--ddamfn-steps 1", "--warmup 2"}) {
            assertTrue(cmd.contains(expected), expected + " missing from " + cmd);
        }
        assertFalse(cmd.contains("--checkpoint"), cmd);
    }

    @Test
    void eachJsonLineIsOneRow() throws Exception {
        Path python = fakePython("echo '{\"workload\":\"head\",\"head\":\"fc\",\"task\":\"va\",\"frames_per_second\":10.5}'\n"
                + "echo\necho '{\"workload\":\"ddamfn\",\"frames_per_second\":1.5}'");
        TorchPeer.Result r = TorchPeer.run(settings(python));
        assertTrue(r.available(), r.unavailable());
        assertEquals(2, r.rows().size());
        assertEquals(WorkloadKey.head("fc", "va"), WorkloadKey.of(r.rows().get(0)));
        assertEquals(WorkloadKey.ddamfn(), WorkloadKey.of(r.rows().get(1)));
    }

    @Test
    void withoutTorchThePeersOwnLineIsTheReason() throws Exception {
        Path python = fakePython("echo 'train_bench: PyTorch is not installed for /x/python3 (No module named torch)' >&2\nexit 3");
        TorchPeer.Result r = TorchPeer.run(settings(python));
        assertFalse(r.available());
        assertEquals("train_bench: PyTorch is not installed for /x/python3 (No module named torch)", r.unavailable());
    }

    @Test
    void aFailingPeerGivesItsExitCodeAndLastLine() throws Exception {
        Path python = fakePython("echo 'Traceback ...' >&2\necho 'RuntimeError: out of memory' >&2\nexit 1");
        TorchPeer.Result r = TorchPeer.run(settings(python));
        assertEquals("the PyTorch peer failed (exit 1): RuntimeError: out of memory", r.unavailable());
    }

    @Test
    void aMissingInterpreterOrNonJsonOutputIsAReasonNotACrash() throws Exception {
        assertTrue(TorchPeer.run(settings(dir.resolve("no-such-python"))).unavailable().contains("not an executable Python"));
        assertTrue(TorchPeer.run(settings(fakePython("echo 'hello'"))).unavailable().contains("not JSON"));
    }

    @Test
    void theCheckoutsPeerScriptIsFound() {
        Path found = TorchPeer.locate();
        assertTrue(found != null && Files.isRegularFile(found) && found.endsWith(TorchPeer.SCRIPT), String.valueOf(found));
    }
}
