package dev.affect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code affect backends}: one line per backend, and for an available cpu whether bf16 is real here. */
class BackendsCommandTest {
    @Test
    void listsEveryBackendAndWhatBf16DoesOnTheCpu() {
        CliRun r = CliRun.of("backends");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("reference: available"), r.out());
        assertTrue(r.out().contains("cpu: "), r.out());
        if (r.out().contains("cpu: available")) {
            assertTrue(r.out().contains("\n  precision bf16: available (")
                    || r.out().contains("\n  precision bf16: not available, computes f32 ("), r.out());
        }
    }
}
