package dev.affect.cli.models;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code affect models pull NAME}: fetch, verify and install one published checkpoint. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download a published DDAMFN checkpoint into <models-dir>/NAME/, verified by its git blob id.")
final class ModelsPullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOptions catalog;

    @Parameters(paramLabel = "NAME", description = "The checkpoint, e.g. affectnet8 (see `affect models list`).")
    String name;

    @Option(names = "--base-url", paramLabel = "URL", defaultValue = CheckpointCatalog.DEFAULT_BASE_URL,
            description = "Repository URL prefix; the file is fetched from URL/<path> (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--progress", description = "Show a progress bar on stderr even when it is not a terminal.")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        PublishedCheckpoint entry = catalog.catalog().find(name);
        PrintWriter out = spec.commandLine().getOut();
        new CheckpointInstaller(new ResumableDownload(), out).install(entry, baseUrl, catalog.modelsDir, progressBar());
        return 0;
    }

    /** A bar only where someone watches: a terminal (Console.isTerminal, JDK 22+) or --progress. */
    private DownloadProgress progressBar() {
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return progress || terminal ? new ProgressBar(spec.commandLine().getErr()) : DownloadProgress.NONE;
    }
}
