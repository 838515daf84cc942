package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class StateDictTest {
    private static StateDict sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("module.z.weight", Tensor.zeros(Shape.of(2)));
        m.put("module.a.weight", Tensor.zeros(Shape.of(3)));
        m.put("module.a.bias", Tensor.zeros(Shape.of(3)));
        m.put("extra", Tensor.zeros(Shape.of(1)));
        return new StateDict(m);
    }

    @Test
    void keepsInsertionOrderAndNamesMissingKeys() {
        StateDict sd = sample();
        assertEquals(List.of("module.z.weight", "module.a.weight", "module.a.bias", "extra"), sd.names());
        assertEquals(4, sd.size());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> sd.get("nope"));
        assertTrue(e.getMessage().contains("'nope'"));
        assertThrows(UnsupportedOperationException.class, () -> sd.asMap().clear());
    }

    @Test
    void stripsPrefixWhereverPresentAndSelectsSubtrees() {
        StateDict sd = sample();
        StateDict stripped = sd.stripPrefix("module.");
        assertEquals(List.of("z.weight", "a.weight", "a.bias", "extra"), stripped.names());
        assertSame(sd.get("module.a.bias"), stripped.get("a.bias"));
        assertFalse(sd.allHavePrefix("module."));
        assertTrue(stripped.sub("a.").allHavePrefix("") && !stripped.sub("a.").allHavePrefix("b"));
        assertEquals(List.of("weight", "bias"), stripped.sub("a.").names());
        assertEquals(0, stripped.sub("missing.").size());
    }

    @Test
    void refusesStrippingIntoACollision() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("module.w", Tensor.zeros(Shape.of(1)));
        m.put("w", Tensor.zeros(Shape.of(1)));
        assertThrows(IllegalStateException.class, () -> new StateDict(m).stripPrefix("module."));
    }
}
