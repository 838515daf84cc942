package dev.affect.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointKindTest {
    @Test
    void backbonesAndHeadsAreToldApartByTheirKeys() {
        assertEquals(CheckpointKind.BACKBONE, CheckpointKind.of(DemoWeights.ddamfn(1)));
        assertEquals(CheckpointKind.HEAD, CheckpointKind.of(DemoWeights.lstmHead(Task.VA, 1)));
        assertEquals(CheckpointKind.HEAD, CheckpointKind.of(DemoWeights.fcHead(Task.AU, 1)));
        assertEquals("au", CheckpointKind.headKey(DemoWeights.fcHead(Task.AU, 1)));
    }

    @Test
    void dataParallelPrefixesAreSeenThrough() {
        Map<String, Tensor> prefixed = new LinkedHashMap<>();
        DemoWeights.fcHead(Task.EXPR, 1).asMap().forEach((k, v) -> prefixed.put("module." + k, v));
        assertEquals(CheckpointKind.HEAD, CheckpointKind.of(new StateDict(prefixed)));
    }

    @Test
    void anythingElseIsRefusedNamingTheSource() {
        StateDict other = new StateDict(Map.of("encoder.weight", Tensor.of(new float[] {1, 2}, 2)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CheckpointKind.of(other, "x.pth"));
        assertEquals("x.pth", e.field());
        assertTrue(e.getMessage().contains("[encoder]"), e.getMessage());
    }
}
