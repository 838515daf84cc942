package dev.affect.engine.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared reference fixtures (read in place); tests skip with the reason when they are absent. */
final class Fixtures {
    private Fixtures() {
    }

    static Path file(String name) {
        Path p = SharedFixtures.reference(name);
        assumeTrue(Files.isRegularFile(p), "fixture missing: " + p);
        return p;
    }

    /** One line of keys_*.txt: {@code name<TAB>dtype<TAB>shape}, shape "64x3x3x3" or "scalar". */
    record KeyLine(String name, DType dtype, Shape shape) {
    }

    static Map<String, KeyLine> keys(String listing) throws IOException {
        Map<String, KeyLine> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file(listing))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            DType dtype = switch (f[1]) {
                case "float32" -> DType.F32;
                case "int64" -> DType.I64;
                default -> throw new IllegalStateException("unexpected dtype in " + listing + ": " + line);
            };
            Shape shape = f[2].equals("scalar") ? Shape.of(new int[0])
                    : Shape.of(Arrays.stream(f[2].split("x")).mapToInt(Integer::parseInt).toArray());
            out.put(f[0], new KeyLine(f[0], dtype, shape));
        }
        return out;
    }
}
