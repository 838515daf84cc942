package dev.affect.cli;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Precision;
import picocli.CommandLine.Option;

/** The --backend and --threads options every compute command shares. */
final class BackendChoice {
    @Option(names = "--backend", defaultValue = "auto", description = "cpu, reference or auto (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads; 0 = all cores.")
    int threads;

    @Option(names = "--precision", defaultValue = "f32",
            description = "f32 (matches PyTorch to ~1e-6) or bf16 (convolutions in bfloat16, faster, ~1e-2 error; cpu only, "
                    + "and only where oneDNN has bf16 kernels: see affect backends).")
    String precision;

    Backend open() {
        Precision p = switch (precision.toLowerCase(java.util.Locale.ROOT)) {
            case "f32" -> Precision.F32;
            case "bf16" -> Precision.BF16;
            default -> throw new IllegalArgumentException("--precision must be f32 or bf16, got " + precision);
        };
        return Backends.open(name, new BackendOptions(threads, p));
    }
}
