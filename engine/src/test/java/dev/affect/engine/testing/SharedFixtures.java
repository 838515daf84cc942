package dev.affect.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden files in ../shared/fixtures, read in place. Where they are absent (a user's clone)
 * the calling test is skipped with the reason; CI always has them.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    public static Path shared() {
        String property = System.getProperty("affect.shared");
        // Without the property (IDE runs) try ../shared from the repo root and from a module directory.
        return property != null ? Path.of(property)
                : Files.isDirectory(Path.of("../shared")) ? Path.of("../shared") : Path.of("../../shared");
    }

    /** fixtures/&lt;folder&gt;, or skips the calling test saying where it looked. */
    public static Path dir(String folder) {
        Path dir = shared().resolve("fixtures").resolve(folder);
        assumeTrue(Files.isDirectory(dir), "shared fixtures not found at " + dir.toAbsolutePath().normalize()
                + " (set -Daffect.shared=<dir holding fixtures/>)");
        return dir;
    }

    public static Path reference(String file) {
        return dir("reference").resolve(file);
    }
}
