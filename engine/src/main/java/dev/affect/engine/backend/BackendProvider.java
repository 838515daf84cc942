package dev.affect.engine.backend;

import java.util.Optional;

/** Service-provider entry for one backend, found with {@link java.util.ServiceLoader}. */
public interface BackendProvider {

    String name();

    /** Higher is preferred by {@code auto}: cuda over cpu over reference. */
    int priority();

    /** Empty when the backend can run here, else the reason it cannot (for auto's log and errors). */
    Optional<String> unavailableReason();

    Backend open(BackendOptions options);
}
