package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Renders report.html, report.json and plots/*.png from files: the scores of {@code affect evaluate}
 * (metrics.json), of {@code affect score --json} or an earlier report.json; a training history.json;
 * and, for the VA plots, a folder of VA predictions with its annotations.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render an HTML report with plots (and report.json) from scores, a training history and VA predictions.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--metrics", description = "Scores: metrics.json of affect evaluate, affect score --json output or a report.json.")
    Path metrics;

    @Option(names = "--history", description = "Training history.json: {\"series\": [{\"name\", \"x\", \"points\": [[x, y], ...]}]}.")
    Path history;

    @Option(names = "--va-predictions", description = "Folder of VA prediction files <video>.txt (for the VA plots; with --va-annotations).")
    Path vaPredictions;

    @Option(names = "--va-annotations", description = "Folder of the VA annotation files those predictions are for.")
    Path vaAnnotations;

    @Option(names = "--title", defaultValue = ReportFiles.DEFAULT_TITLE, description = "Page title unless the scores file names one (default: ${DEFAULT-VALUE}).")
    String title;

    @Option(names = "--out", required = true, description = "Folder for report.html, report.json and plots/.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (metrics == null && history == null) {
            throw new InvalidInputException("--metrics", "give scores (--metrics) or a training history (--history), or both");
        }
        if ((vaPredictions == null) != (vaAnnotations == null)) {
            throw new InvalidInputException(vaPredictions == null ? "--va-predictions" : "--va-annotations",
                    "--va-predictions and --va-annotations go together");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InvalidInputException("--out", "not a folder: " + out);
        }
        Optional<ReportFiles.VaFolders> va = vaPredictions == null ? Optional.empty()
                : Optional.of(new ReportFiles.VaFolders(vaPredictions, vaAnnotations));
        Files.createDirectories(out);
        ReportWriter.Written written = ReportFiles.render(Optional.ofNullable(metrics), Optional.ofNullable(history), va,
                out, title);
        spec.commandLine().getOut().println("report in " + written.html() + " (" + written.plots().size() + " plots)");
        return 0;
    }
}
