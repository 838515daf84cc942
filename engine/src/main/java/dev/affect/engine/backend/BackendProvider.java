package dev.affect.engine.backend;

import java.util.List;
import java.util.Optional;

/** Service-provider entry for one backend, found with {@link java.util.ServiceLoader}. */
public interface BackendProvider {

    String name();

    /** Higher is preferred by {@code auto}: cuda over cpu over reference. */
    int priority();

    /** Empty when the backend can run here, else the reason it cannot (for auto's log and errors). */
    Optional<String> unavailableReason();

    Backend open(BackendOptions options);

    /**
     * What an available backend does on this machine that its options do not say, one line each
     * (for {@code affect backends}); none by default. May be slow the first time (it can probe).
     */
    default List<String> notes() {
        return List.of();
    }
}
