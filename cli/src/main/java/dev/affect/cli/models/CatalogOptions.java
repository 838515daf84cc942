package dev.affect.cli.models;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where models live and which catalogue names them; shared by the models subcommands. */
final class CatalogOptions {
    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
            description = "Folder holding one folder per model (default: ${DEFAULT-VALUE}, relative to the working directory).")
    Path modelsDir;

    @Option(names = "--catalog", paramLabel = "FILE", hidden = true,
            description = "A JSON catalogue to use instead of the built-in one (tests, mirrors).")
    Path catalogFile;

    CheckpointCatalog catalog() throws IOException {
        return catalogFile == null ? CheckpointCatalog.ddamfn() : CheckpointCatalog.read(catalogFile);
    }
}
