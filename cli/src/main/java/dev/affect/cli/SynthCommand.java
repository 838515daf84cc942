package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.synth.SyntheticAbaw;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a synthetic dataset in the ABAW layout ({@link SyntheticAbaw}) and prints one summary line. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a synthetic Aff-Wild2-style dataset in the exact ABAW layout (VA, EXPR and AU annotation",
                "folders with Train_Set/Validation_Set, cropped_aligned/<video>/NNNNN.jpg 112x112 faces); same seed, same bytes."})
final class SynthCommand implements Callable<Integer> {
    /** The engine's argument names and the options that set them. */
    private static final Map<String, String> OPTIONS = Map.of("out", "--out", "videos", "--videos", "frames", "--frames");

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder; must not exist or be empty.")
    Path out;

    @Option(names = "--videos", defaultValue = "10", description = "Videos (subjects); default: ${DEFAULT-VALUE}.")
    int videos;

    @Option(names = "--frames", defaultValue = "300", description = "Frames per video (at most 99999); default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed; default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws IOException {
        SyntheticAbaw.Summary s;
        try {
            s = SyntheticAbaw.write(out, videos, frames, seed);
        } catch (InvalidInputException e) {
            String option = OPTIONS.get(e.field());
            if (option == null) {
                throw e;
            }
            throw new InvalidInputException(option, e.reason(), e);
        }
        spec.commandLine().getOut().println(out + ": " + s.line());
        return 0;
    }
}
