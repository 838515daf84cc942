package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.submission.SampleFile;
import dev.affect.engine.data.submission.SubmissionWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the single ABAW submission file of one task ({@link SubmissionWriter}) and prints one summary line. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the single ABAW submission file of one task from per-video prediction files (annotation format)",
                "and the test set's sample file: same lines and order as the sample, missing frames filled from the",
                "nearest previous (else next) predicted frame, AU probabilities binarised per AU."})
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, description = "VA, EXPR or AU.")
    AbawTask task;

    @Option(names = "--predictions", required = true, description = "Folder with one <video>.txt per video of the sample.")
    Path predictions;

    @Option(names = "--sample", required = true, description = "The task's test-set sample file (image_location header).")
    Path sample;

    @Option(names = "--out", required = true, description = "The submission file to write (replaced atomically).")
    Path out;

    @Option(names = "--thresholds", split = ",", paramLabel = "t1,...,t12",
            description = "AU only: 12 thresholds in header order (AU1..AU26); default 0.5 each.")
    float[] thresholds;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(predictions)) {
            throw new InvalidInputException("--predictions", "not a folder: " + predictions);
        }
        if (!Files.isRegularFile(sample)) {
            throw new InvalidInputException("--sample", "no such file: " + sample);
        }
        if (thresholds != null && task != AbawTask.AU) {
            throw new InvalidInputException("--thresholds", "only for --task AU, not " + task);
        }
        SampleFile s = SampleFile.read(sample, task);
        SubmissionWriter.Summary summary;
        try {
            summary = SubmissionWriter.write(predictions, s, out, thresholds);
        } catch (InvalidInputException e) {
            if (!"thresholds".equals(e.field())) {
                throw e;
            }
            throw new InvalidInputException("--thresholds", e.reason(), e);
        }
        spec.commandLine().getOut().println(out + ": " + task + " " + summary.line());
        return 0;
    }
}
