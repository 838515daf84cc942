package dev.affect.cli.models;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code affect models list}: the catalogue, and which entries are in the models folder. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the published checkpoints and which are installed.")
final class ModelsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOptions catalog;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (PublishedCheckpoint e : catalog.catalog().entries()) {
            Path file = catalog.modelsDir.resolve(e.name()).resolve(e.fileName());
            out.printf("%-11s %d classes  %-8s %s%n", e.name(), e.classes(), Files.isRegularFile(file) ? "pulled" : "-", e.dataset());
            out.printf("            %s  blob %s%n", e.path(), e.blob().orElse("unknown (downloads are unverified)"));
        }
        return 0;
    }
}
