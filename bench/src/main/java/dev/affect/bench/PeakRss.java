package dev.affect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** VmHWM of this process in MB, -1 where /proc is absent. */
final class PeakRss {
    private PeakRss() {
    }

    static long mb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
