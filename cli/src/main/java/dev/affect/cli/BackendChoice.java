package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The --backend, --threads and --precision options every compute command shares, and loading --checkpoint. */
final class BackendChoice {
    @Option(names = "--backend", defaultValue = "auto", description = "cpu, reference or auto (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads; 0 = all cores.")
    int threads;

    @Option(names = "--precision", defaultValue = "f32",
            description = "f32 (matches PyTorch to ~1e-6) or bf16 (convolutions in bfloat16, faster, ~1e-2 error; cpu only, "
                    + "and only where oneDNN has bf16 kernels: see affect backends).")
    String precision;

    /**
     * Checks --backend and --precision without opening anything, so a command can refuse bad options
     * before it reads any input.
     *
     * @throws InvalidInputException naming the option
     */
    void check() {
        precision();
        List<String> known = Backends.names();
        if (!name.equals("auto") && !known.contains(name)) {
            throw new InvalidInputException("--backend", "unknown backend '" + name + "'; known: "
                    + String.join(", ", known) + ", auto");
        }
    }

    Precision precision() {
        return switch (precision.toLowerCase(Locale.ROOT)) {
            case "f32" -> Precision.F32;
            case "bf16" -> Precision.BF16;
            default -> throw new InvalidInputException("--precision", "must be f32 or bf16, got '" + precision + "'");
        };
    }

    Backend open() {
        return open(threads);
    }

    /** As {@link #open()}, with {@code threadsWhenUnset} compute threads unless --threads was given. */
    Backend open(int threadsWhenUnset) {
        check();
        return Backends.open(name, new BackendOptions(threads != 0 ? threads : threadsWhenUnset, precision()));
    }

    /**
     * Reads the checkpoint given by --checkpoint and builds DDAMFN on {@code backend}, compiling the
     * options' batch buckets now, before any input is read.
     */
    static Ddamfn load(Path checkpoint, Backend backend, Ddamfn.Options options) throws IOException {
        return Ddamfn.load(checkpoint, backend, options);
    }

    /** --buckets parsed, naming the option when it is wrong. */
    static BatchBuckets buckets(String text) {
        try {
            return BatchBuckets.parse(text);
        } catch (InvalidInputException | IllegalArgumentException e) {
            String why = e instanceof InvalidInputException i ? i.reason() : e.getMessage();
            throw new InvalidInputException("--buckets", why, e);
        }
    }
}
