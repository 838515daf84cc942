package dev.affect.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendsTest {
    @Test
    void knowsItsBackendsBestFirst() {
        assertEquals("reference", Backends.names().getLast());
        assertTrue(Backends.names().contains("cpu"));
    }

    @Test
    void autoPicksTheBestAvailable() {
        String best = Backends.providers().stream().filter(p -> p.unavailableReason().isEmpty()).findFirst().orElseThrow().name();
        try (Backend b = Backends.open("auto")) {
            assertEquals(best, b.name());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu"));
        assertTrue(e.getMessage().contains("reference") && e.getMessage().contains("auto"), e.getMessage());
    }
}
