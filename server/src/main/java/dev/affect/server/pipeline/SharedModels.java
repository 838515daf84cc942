package dev.affect.server.pipeline;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Who still uses each model of a pipeline and of the pipelines derived from it by
 * {@link ServedPipeline#withHead}: they share the backbone and the heads they did not replace, and
 * each model closes when the last pipeline using it closes.
 */
final class SharedModels {
    private final Map<AutoCloseable, Integer> users = new IdentityHashMap<>();

    synchronized void retain(AutoCloseable model) {
        users.merge(model, 1, Integer::sum);
    }

    /** Drops one user; closes the model when it was the last. */
    void release(AutoCloseable model) throws Exception {
        boolean last;
        synchronized (this) {
            Integer n = users.get(model);
            if (n == null) {
                throw new IllegalStateException("model released more often than retained");
            }
            last = n == 1;
            if (last) {
                users.remove(model);
            } else {
                users.put(model, n - 1);
            }
        }
        if (last) {
            model.close();
        }
    }
}
