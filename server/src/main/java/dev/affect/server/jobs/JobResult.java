package dev.affect.server.jobs;

import java.nio.file.Path;
import java.util.Objects;

/** A finished job: the head checkpoint it trained (inside its run folder), which promotion loads. */
public record JobResult(Path headCheckpoint) {
    public JobResult {
        Objects.requireNonNull(headCheckpoint, "headCheckpoint");
    }
}
