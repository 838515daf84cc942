package dev.affect.bindings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reruns {@code scripts/gen-bindings} into a temporary directory and expects exactly the committed
 * generated sources, so nobody hand-edits them and an includes change is never left unregenerated.
 * Skipped (with the reason) where the generator cannot run: no libclang / clang.cindex, no bash; the
 * turbojpeg part alone is skipped where turbojpeg.h is not installed (the script then leaves it out).
 */
class GeneratedBindingsUpToDateTest {
    private static final List<String> GENERATED_PACKAGES =
            List.of("dev/affect/bindings/dnnl/gen", "dev/affect/bindings/omp/gen");
    private static final String TURBOJPEG_PACKAGE = "dev/affect/bindings/turbojpeg/gen";

    @TempDir
    static Path out;

    private static Path module;
    private static String log;

    /** Runs the generator once for both tests. */
    @BeforeAll
    static void regenerate() throws Exception {
        module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path script = module.resolveSibling("scripts").resolve("gen-bindings");
        Assumptions.assumeTrue(Files.isExecutable(script), () -> "generator script not found at " + script);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not available");

        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString(), out.toString())
                .redirectErrorStream(true);
        Path jar = dnnlJar();
        if (jar != null) {
            pb.environment().put("DNNL_JAR", jar.toString()); // the exact jar on our class path
        }
        Process p = pb.start();
        log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gen-bindings timed out");
        Assumptions.assumeFalse(p.exitValue() == 2, () -> "generator unavailable: " + log.strip());
        assertEquals(0, p.exitValue(), () -> "gen-bindings failed:\n" + log);
    }

    @Test
    void regeneratingGivesTheCommittedSources() throws Exception {
        compare(GENERATED_PACKAGES);
    }

    @Test
    void regeneratingTurbojpegGivesTheCommittedSources() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(out.resolve(TURBOJPEG_PACKAGE)), () -> "turbojpeg_h not regenerated: "
                + log.lines().filter(l -> l.contains("skipped turbojpeg")).findFirst().orElse(log.strip()));
        compare(List.of(TURBOJPEG_PACKAGE));
    }

    private static void compare(List<String> packages) throws IOException {
        Path committed = module.resolve("src/main/java");
        List<String> problems = new ArrayList<>();
        for (String pkg : packages) {
            TreeSet<String> names = new TreeSet<>(list(committed.resolve(pkg)));
            names.addAll(list(out.resolve(pkg)));
            for (String name : names) {
                Path a = committed.resolve(pkg).resolve(name);
                Path b = out.resolve(pkg).resolve(name);
                if (!Files.exists(a)) {
                    problems.add(pkg + "/" + name + ": generated but not committed");
                } else if (!Files.exists(b)) {
                    problems.add(pkg + "/" + name + ": committed but no longer generated");
                } else if (Files.mismatch(a, b) != -1) {
                    problems.add(pkg + "/" + name + ": differs, first at line " + firstDifferentLine(a, b));
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("committed bindings are stale; run scripts/gen-bindings and commit the result:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static int firstDifferentLine(Path a, Path b) throws IOException {
        List<String> x = Files.readAllLines(a);
        List<String> y = Files.readAllLines(b);
        int i = 0;
        while (i < x.size() && i < y.size() && x.get(i).equals(y.get(i))) {
            i++;
        }
        return i + 1;
    }

    /** The org.bytedeco:dnnl jar that this test run resolved, so the script reads the same headers. */
    private static Path dnnlJar() throws IOException {
        URL header = GeneratedBindingsUpToDateTest.class.getClassLoader()
                .getResource("org/bytedeco/dnnl/linux-x86_64/include/oneapi/dnnl/dnnl.h");
        if (header == null || !"jar".equals(header.getProtocol())) {
            return null;
        }
        var connection = (JarURLConnection) header.openConnection();
        connection.setUseCaches(false);
        try {
            return Path.of(connection.getJarFileURL().toURI());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
