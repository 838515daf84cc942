package dev.affect.engine.model.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Value;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Reading heads from state_dicts, and the graphs built from them: no backend needed. */
class HeadSpecTest {
    static final Random RNG = new Random(5);

    static StateDict edit(StateDict sd, Consumer<Map<String, Tensor>> change) {
        Map<String, Tensor> m = new LinkedHashMap<>(sd.asMap());
        change.accept(m);
        return new StateDict(m);
    }

    static String fieldOf(StateDict sd) {
        return assertThrows(InvalidInputException.class, () -> HeadSpec.read(sd)).field();
    }

    @Test
    void tasksFollowTheAnnotationFiles() {
        assertEquals(List.of("Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"), Task.EXPR.labels());
        assertEquals(List.of("AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"),
                Task.AU.labels());
        assertEquals(2, Task.VA.outputSize());
        assertEquals(Task.Activation.TANH, Task.VA.activation());
        assertEquals(Task.Activation.SOFTMAX, Task.EXPR.activation());
        assertEquals(Task.Activation.SIGMOID, Task.AU.activation());
        assertEquals(Optional.of(Task.AU), Task.forKey("au"));
        assertEquals(Optional.empty(), Task.forKey("out"));
    }

    @Test
    void sizesAndKindComeFromTheCheckpoint() {
        HeadSpec fc = HeadSpec.read(HeadTesting.randomHead(RNG, false, "expr", 20, 0, 12, 8));
        assertEquals(new HeadSpec(false, "expr", Optional.of(Task.EXPR), 20, 0, 12, 8), fc);
        HeadSpec lstm = HeadSpec.read(HeadTesting.randomHead(RNG, true, "out", 20, 6, 12, 3));
        assertEquals(new HeadSpec(true, "out", Optional.empty(), 20, 6, 12, 3), lstm);
        assertEquals(List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "fc.weight", "fc.bias",
                "out.weight", "out.bias"), lstm.keys());
        // DataParallel's module. prefix
        StateDict wrapped = edit(HeadTesting.randomHead(RNG, false, "va", 20, 0, 12, 2), m -> {
            Map<String, Tensor> copy = new LinkedHashMap<>(m);
            m.clear();
            copy.forEach((k, v) -> m.put("module." + k, v));
        });
        assertEquals("va", HeadSpec.read(HeadSpec.normalize(wrapped)).key());
    }

    @Test
    void mismatchesNameTheKey() {
        StateDict fc = HeadTesting.randomHead(RNG, false, "va", 20, 0, 12, 2);
        StateDict lstm = HeadTesting.randomHead(RNG, true, "au", 20, 6, 12, 12);
        assertEquals("va.weight", fieldOf(edit(fc, m -> {
            m.put("va.weight", Tensor.zeros(Shape.of(3, 12)));
            m.put("va.bias", Tensor.zeros(Shape.of(3)));
        })), "VA has 2 outputs");
        assertEquals("va.weight", fieldOf(edit(fc, m -> m.put("va.weight", Tensor.zeros(Shape.of(2, 13))))));
        assertEquals("va.bias", fieldOf(edit(fc, m -> m.put("va.bias", Tensor.zeros(Shape.of(3))))));
        assertEquals("va.bias", fieldOf(edit(fc, m -> m.remove("va.bias"))));
        assertEquals("fc.bias", fieldOf(edit(fc, m -> m.put("fc.bias", Tensor.zeros(Shape.of(11))))));
        assertEquals("fc.weight", fieldOf(edit(fc, m -> {
            m.remove("fc.weight");
            m.remove("fc.bias");
        })));
        assertEquals("fc.weight", fieldOf(edit(fc, m -> m.put("fc.weight", Tensor.zeros(Shape.of(12))))));
        assertEquals("fc.weight", fieldOf(edit(fc, m -> m.put("fc.weight", Tensor.zeros(DType.I64, Shape.of(12, 20))))));
        assertEquals("expr.weight", fieldOf(edit(fc, m -> {
            m.put("expr.weight", Tensor.zeros(Shape.of(8, 12)));
            m.put("expr.bias", Tensor.zeros(Shape.of(8)));
        })), "two task layers");
        assertEquals("<task>.weight", fieldOf(edit(fc, m -> {
            m.remove("va.weight");
            m.remove("va.bias");
        })));
        assertEquals("fc.running_mean", fieldOf(edit(fc, m -> m.put("fc.running_mean", Tensor.zeros(Shape.of(12))))));
        assertEquals("step", fieldOf(edit(fc, m -> m.put("step", Tensor.zeros(Shape.of(1))))));

        assertEquals("lstm.weight_hh_l0", fieldOf(edit(lstm, m -> m.put("lstm.weight_hh_l0", Tensor.zeros(Shape.of(24, 5))))));
        assertEquals("lstm.weight_ih_l0", fieldOf(edit(lstm, m -> m.put("lstm.weight_ih_l0", Tensor.zeros(Shape.of(22, 20))))));
        assertEquals("lstm.weight_ih_l0", fieldOf(edit(lstm, m -> m.remove("lstm.weight_ih_l0"))));
        assertEquals("lstm.bias_hh_l0", fieldOf(edit(lstm, m -> m.put("lstm.bias_hh_l0", Tensor.zeros(Shape.of(6))))));
        assertEquals("fc.weight", fieldOf(edit(lstm, m -> m.put("fc.weight", Tensor.zeros(Shape.of(12, 20))))),
                "fc after an LSTM takes H inputs");
        assertEquals("lstm.weight_ih_l1", fieldOf(edit(lstm, m -> m.put("lstm.weight_ih_l1", Tensor.zeros(Shape.of(24, 6))))),
                "a second LSTM layer");
    }

    @Test
    void graphsHaveTheDocumentedInputsAndOutputs() {
        HeadSpec fc = HeadSpec.read(HeadTesting.randomHead(RNG, false, "au", 20, 0, 12, 12));
        Graph g = HeadGraphs.fc(fc);
        assertEquals(List.of("x"), g.inputs().stream().map(Value::name).toList());
        assertEquals(List.of("raw", "value"), List.copyOf(g.outputs().keySet()));
        assertEquals(Map.of("x", Shape.of(4, 20)), g.inputShapesAt(4));
        assertEquals(List.of("fc.weight", "fc.bias", "au.weight", "au.bias"), g.parameters().stream().map(Value::name).toList());

        HeadSpec raw = HeadSpec.read(HeadTesting.randomHead(RNG, true, "out", 20, 6, 12, 3));
        Graph step = HeadGraphs.lstmStep(raw);
        assertEquals(List.of(Value.Kind.INPUT, Value.Kind.STATE, Value.Kind.STATE), step.inputs().stream().map(Value::kind).toList());
        assertEquals(List.of("raw", "h", "c"), List.copyOf(step.outputs().keySet()), "a raw head has no activated output");
        Map<Integer, Shape> shapes = step.inferShapes(step.inputShapesAt(5));
        assertEquals(Shape.of(5, 6), step.inputShapesAt(5).get("h0"));
        assertEquals(Shape.of(5, 3), shapes.get(step.output("raw").id()));
        assertEquals(Shape.of(5, 6), shapes.get(step.output("c").id()));

        Graph seq = HeadGraphs.lstmSequence(raw);
        assertEquals(Shape.of(1, 6), seq.inputShapesAt(7).get("h0"), "one sequence: state [1, H] whatever T");
        Map<Integer, Shape> seqShapes = seq.inferShapes(seq.inputShapesAt(7));
        assertEquals(Shape.of(7, 3), seqShapes.get(seq.output("raw").id()));
        assertEquals(Shape.of(1, 6), seqShapes.get(seq.output("h").id()));
    }

    @Test
    void optionsRejectBucketsThatCannotWork() {
        assertEquals("batchBuckets", assertThrows(InvalidInputException.class, () -> new HeadOptions(List.of(), List.of(1))).field());
        assertEquals("batchBuckets", assertThrows(InvalidInputException.class, () -> new HeadOptions(List.of(4, 2), List.of(1))).field());
        assertEquals("batchBuckets", assertThrows(InvalidInputException.class, () -> new HeadOptions(List.of(0, 2), List.of(1))).field());
        assertEquals("sequenceBuckets", assertThrows(InvalidInputException.class,
                () -> new HeadOptions(List.of(1), List.of(2, 4))).field(), "sequences need 1 to run every length exactly");
        assertTrue(HeadOptions.defaults().batchBuckets().equals(List.of(1, 2, 4, 8, 16, 32)));
    }
}
