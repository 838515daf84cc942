package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** affect predict with a --target that is malformed or has no server behind it: one line, exit 2, nothing else. */
class PredictTargetTest {
    private static final String UNRESOLVABLE = "nosuchhost.invalid:1"; // .invalid never resolves (RFC 2606)

    @Test
    void malformedTargetsAreRefusedUpFrontNamingTheOption() {
        String image = Fixtures.reference("face_a.png").toString();
        String[][] cases = {
            {"bad target", "affect predict: --target: 'bad target' is not host:port (e.g. localhost:50051)"},
            {"localhost", "affect predict: --target: 'localhost' is not host:port (e.g. localhost:50051)"},
            {" ", "affect predict: --target: ' ' is not host:port (e.g. localhost:50051)"},
            {"localhost:99999", "affect predict: --target: 'localhost:99999': port must be in 1..65535, got 99999"},
            {"localhost:0", "affect predict: --target: 'localhost:0': port must be in 1..65535, got 0"},
            {"localhost:-1", "affect predict: --target: 'localhost:-1' is not host:port (e.g. localhost:50051)"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("predict", "--target", c[0], image);
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(c[1], r.err().strip());
        }
    }

    @Test
    void wellFormedTargetsParse() {
        assertEquals(new ServerTarget("localhost", 50051), ServerTarget.parse("--target", "localhost:50051"));
        assertEquals(new ServerTarget("10.0.0.7", 1), ServerTarget.parse("--target", "10.0.0.7:1"));
        assertEquals(new ServerTarget("[::1]", 65535), ServerTarget.parse("--target", "[::1]:65535"));
        assertEquals("my-host.example:8080", ServerTarget.parse("--target", "my-host.example:8080").toString());
    }

    /** gRPC logs the failed name lookup with a stack trace unless the command silences it. */
    @Test
    void unresolvableHostLogsNothingThroughGrpc() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName() != null && (r.getLoggerName().startsWith("io.grpc") || r.getLoggerName().startsWith("io.netty"))
                        && r.getLevel().intValue() >= Level.INFO.intValue()) {
                    synchronized (records) {
                        records.add(r);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            CliRun r = CliRun.of("predict", "--target", UNRESOLVABLE, "--timeout", "10", Fixtures.reference("face_a.png").toString());
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().startsWith("affect predict: cannot reach " + UNRESOLVABLE + ": UNAVAILABLE"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        } finally {
            root.removeHandler(capture);
        }
        synchronized (records) {
            assertEquals(List.of(), records.stream().map(x -> x.getLoggerName() + ": " + x.getMessage()).toList());
        }
    }

    /** The whole process, as scripts/affect runs it: stderr holds the one line and nothing else. */
    @Test
    void processPrintsOnlyTheOneLine() throws IOException, InterruptedException {
        for (String target : List.of(UNRESOLVABLE, "bad target")) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", shippedClasspath(), AffectCli.class.getName(),
                    "predict", "--target", target, "--timeout", "10", Fixtures.reference("face_a.png").toString());
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
            assertEquals(2, p.exitValue(), err);
            assertEquals("", out);
            assertEquals(1, err.strip().lines().count(), () -> "one line expected, got:\n" + err);
            assertTrue(err.startsWith("affect predict: "), err);
        }
    }

    /** The test classpath less slf4j, which only test dependencies bring (and which warns when it has no provider). */
    private static String shippedClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("slf4j-"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
