package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.BackendUnavailableException;
import dev.affect.engine.image.ImageFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which failures are the user's (one line, exit 2) and which are ours (exit 1). */
class UserErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void badPrecisionExitsTwoWithOneLineNamingTheOption() {
        String missing = tmp.resolve("missing.pth").toString();
        String[][] cases = {
            {"bench", "--checkpoint", missing, "--precision", "fp64"},
            {"infer", "--checkpoint", missing, "--input", tmp.toString(), "--out", tmp.resolve("out").toString(),
                "--precision", "fp64"},
            {"serve", "--checkpoint", missing, "--port", "0", "--precision", "fp64"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of(c);
            assertEquals(UserErrors.BAD_INPUT, r.exitCode(), () -> String.join(" ", c) + " -> " + r.err());
            assertEquals("affect " + c[0] + ": --precision: must be f32 or bf16, got 'fp64'", r.err().strip());
        }
    }

    @Test
    void badOptionValuesExitTwoWithOneLineNamingTheOption() {
        String missing = tmp.resolve("missing.pth").toString();
        String[][] cases = {
            {"--backend", "bench", "--checkpoint", missing, "--backend", "tpu"},
            {"--iterations", "bench", "--checkpoint", missing, "--iterations", "0"},
            {"--warmup", "bench", "--checkpoint", missing, "--warmup", "-1"},
            {"--batch", "infer", "--checkpoint", missing, "--input", missing, "--out", missing, "--batch", "0"},
            {"--timeout", "predict", "--target", "localhost:1", "--timeout", "0", missing},
            {"--target", "predict", "--target", " ", missing},
            {"--port", "serve", "--checkpoint", missing, "--port", "70000"},
            {"--max-frames", "serve", "--checkpoint", missing, "--max-frames", "0"},
            {"--queue", "serve", "--checkpoint", missing, "--queue", "0"},
            {"--model-name", "serve", "--checkpoint", missing, "--model-name", "bad name!"},
        };
        for (String[] c : cases) {
            String[] args = Arrays.copyOfRange(c, 1, c.length);
            CliRun r = CliRun.of(args);
            assertEquals(UserErrors.BAD_INPUT, r.exitCode(), () -> String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), () -> "one line expected, got: " + r.err());
            assertTrue(r.err().startsWith("affect " + args[0] + ": " + c[0] + ": "), r.err());
        }
    }

    @Test
    void onlyTypedExceptionsAreTheUsersFault() {
        assertTrue(UserErrors.isUserError(new InvalidInputException("--precision", "bad")));
        assertTrue(UserErrors.isUserError(new NoSuchFileException("x.pth")));
        assertTrue(UserErrors.isUserError(new IOException("disk")));
        assertTrue(UserErrors.isUserError(new ImageFormatException("x.png: not a JPEG or PNG image")));
        assertTrue(UserErrors.isUserError(new BackendUnavailableException("no oneDNN")));
        assertTrue(UserErrors.isUserError(new CommandLine.ParameterException(new CommandLine(new AffectCli()), "bad")));
        assertFalse(UserErrors.isUserError(new IllegalArgumentException("a bug")));
        assertFalse(UserErrors.isUserError(new IllegalStateException("a bug")));
        assertFalse(UserErrors.isUserError(new NullPointerException()));
    }

    @Test
    void aPlainIllegalArgumentExceptionIsAnInternalError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AffectCli());
        cli.setErr(new PrintWriter(err, true));
        int code = new UserErrors().handleExecutionException(new IllegalArgumentException("index 7"), cli, null);
        assertEquals(UserErrors.INTERNAL, code);
        assertTrue(err.toString().startsWith("affect affect: internal error: index 7"), err.toString());
    }
}
