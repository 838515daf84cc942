package dev.affect.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scripts/bench's command line: --help is a usage text and exit 0; a bad argument is one line and exit 2. */
class CompareMainTest {

    record Run(int exitCode, String out, String err) {
    }

    private static Run compare(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CompareMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        for (String help : List.of("--help", "-h")) {
            Run r = compare("--batches", "1", help);
            assertEquals(0, r.exitCode());
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("Usage: scripts/bench [options]\n"), r.out());
            for (String option : List.of("--batches N,N,...", "--iterations N", "--threads N", "--backend NAME", "--precision f32|bf16",
                    "--heads A,B,...", "--checkpoint FILE", "--model FILE", "-h, --help")) {
                assertTrue(r.out().contains("\n  " + option + "\n"), option + " in\n" + r.out());
            }
            assertTrue(r.out().contains("default: 1,8,32"), r.out());
            assertTrue(r.out().contains("default: 30"), r.out());
            assertTrue(r.out().contains("default: the number of CPUs (" + Runtime.getRuntime().availableProcessors() + " here)"), r.out());
            assertTrue(r.out().contains("default: ../shared/fixtures/reference/ddamfn_8_class.pth"), r.out());
            assertEquals(8, r.out().lines().filter(l -> l.startsWith("      default: ")).count(), r.out());
        }
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        String[][] cases = {
            {"--bogus", "1"},
            {"--batches"},
            {"batches", "1"},
            {"--batches", "1,x"},
            {"--batches", "0"},
            {"--iterations", "-3"},
            {"--threads", "many"},
            {"--precision", "f16"},
            {"--backend", "tpu"},
            {"--checkpoint", "/no/such/file.pth"},
        };
        String[] expected = {
            "scripts/bench: unknown option --bogus; see --help",
            "scripts/bench: --batches needs a value; see --help",
            "scripts/bench: unexpected argument 'batches' (options are --name value); see --help",
            "scripts/bench: --batches: 'x' is not a positive integer; see --help",
            "scripts/bench: --batches: '0' is not a positive integer; see --help",
            "scripts/bench: --iterations: '-3' is not a positive integer; see --help",
            "scripts/bench: --threads: 'many' is not a positive integer; see --help",
            "scripts/bench: --precision: 'f16' is not one of bf16, f32; see --help",
            null, // the backend list depends on the build
            "scripts/bench: --checkpoint: no such file: /no/such/file.pth; see --help",
        };
        for (int i = 0; i < cases.length; i++) {
            Run r = compare(cases[i]);
            assertEquals(2, r.exitCode(), r.err());
            assertEquals("", r.out(), "nothing measured");
            assertEquals(1, r.err().lines().count(), r.err());
            if (expected[i] != null) {
                assertEquals(expected[i], r.err().strip());
            } else {
                assertTrue(r.err().startsWith("scripts/bench: --backend: 'tpu' is not one of ") && r.err().strip().endsWith("; see --help"),
                        r.err());
            }
        }
    }

    @Test
    void ortBenchSharesTheConventions() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, OrtBench.tool().run(new String[] {"-h"}, o, e, (a, s) -> {
            throw new AssertionError("help runs nothing");
        }));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  --warmup N\n"), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, OrtBench.tool().run(new String[] {"--warmup", "-1"}, o, e, (a, s) -> a.nonNegativeInt("warmup")));
        assertEquals("ort-bench: --warmup: '-1' is not a non-negative integer; see --help\n", err.toString(StandardCharsets.UTF_8));
    }
}
