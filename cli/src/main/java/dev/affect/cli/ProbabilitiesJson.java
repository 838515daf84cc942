package dev.affect.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.affect.engine.io.AtomicFiles;
import dev.affect.engine.model.Softmax;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * probabilities.json: the class names, then per input its softmax and the top class and, when heads
 * ran, each head's values for that frame (va: [valence, arousal]; expr: 8 probabilities and the top
 * label; au: 12 probabilities and the active AUs at 0.5; a raw head: its values).
 */
final class ProbabilitiesJson {
    private ProbabilitiesJson() {
    }

    static void write(Path file, List<String> classes, List<String> inputs, Tensor logits) throws IOException {
        write(file, classes, inputs, logits, Map.of());
    }

    static void write(Path file, List<String> classes, List<String> inputs, Tensor logits, Map<String, Tensor> tasks)
            throws IOException {
        int c = classes.size();
        float[] l = logits.toFloatArray();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            double[] p = Softmax.of(l, i * c, c);
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("input", inputs.get(i));
            item.put("prediction", classes.get(best));
            item.put("probabilities", p);
            for (Map.Entry<String, Tensor> t : tasks.entrySet()) {
                item.put(t.getKey(), TaskValues.of(t.getKey(), t.getValue(), i));
            }
            items.add(item);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("classes", classes);
        doc.put("items", items);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        AtomicFiles.write(file, json);
    }
}
