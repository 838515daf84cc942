package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyMatcherTest {

    @Test
    void listsMissingUnexpectedAndMismatchedInOneMessage() {
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("features.0.conv.weight", Shape.of(32, 3, 3, 3));
        expected.put("fc.weight", Shape.of(8, 512));
        expected.put("fc.bias", Shape.of(8));
        Map<String, Tensor> file = new LinkedHashMap<>();
        file.put("features.0.conv.weight", Tensor.zeros(Shape.of(64, 3, 3, 3)));
        file.put("foo", Tensor.zeros(Shape.of(1)));
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> KeyMatcher.requireMatch("DDAMFN(num_class=8, num_head=2)", expected, new StateDict(file)));
        assertEquals("checkpoint: does not match DDAMFN(num_class=8, num_head=2): 2 missing [fc.weight, fc.bias], "
                + "1 unexpected [foo], 1 shape mismatch [features.0.conv.weight: checkpoint [64,3,3,3] vs model [32,3,3,3]]",
                e.getMessage());
        assertEquals(List.of("fc.weight", "fc.bias"), e.report().missing());
        assertEquals("checkpoint", e.field());
        assertInstanceOf(InvalidInputException.class, e);
    }

    @Test
    void realCheckpointAgainstItsListingAndAgainstTheWrongHeadCount() throws IOException {
        StateDict sd = TorchCheckpointReader.readStateDict(Fixtures.file("ddamfn_8_class.pth"));
        Map<String, Shape> expected = new LinkedHashMap<>();
        Fixtures.keys("keys_8_class.txt").forEach((name, line) -> expected.put(name, line.shape()));
        assertDoesNotThrow(() -> KeyMatcher.requireMatch("DDAMFN(num_class=8, num_head=2)", expected, sd));

        // The 7-class, 4-head model expects cat_head2/3 and a [7,512] fc.
        Map<String, Shape> sevenClass = new LinkedHashMap<>();
        Fixtures.keys("keys_7_class_bare.txt").forEach((name, line) -> sevenClass.put(name.substring(7), line.shape()));
        KeyMatcher.Report r = KeyMatcher.compare(sevenClass, sd);
        assertEquals(2 * 29, r.missing().size(), "two extra heads of 29 tensors each: " + r.missing());
        assertTrue(r.missing().stream().allMatch(k -> k.startsWith("cat_head2.") || k.startsWith("cat_head3.")));
        assertTrue(r.unexpected().isEmpty());
        assertEquals(List.of("fc.weight", "fc.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"),
                r.mismatched().stream().map(KeyMatcher.ShapeMismatch::name).toList());
        assertTrue(r.summary().contains("fc.weight: checkpoint [8,512] vs model [7,512]"), r.summary());
    }
}
