package dev.affect.client;

import java.util.List;
import java.util.Set;

/**
 * A model (pipeline) the server has loaded.
 *
 * @param classNames in logit order
 * @param backend what it runs on (cpu, reference, cuda)
 * @param isDefault whether an empty model name selects it (false from describe/load, which don't say)
 * @param tasks the tasks it has a head for
 * @param heads one line per head, e.g. "va: LSTM(512->128) fc 128->2 tanh"
 * @param description where its weights came from
 * @param demo true for the generated demo pipeline, whose outputs mean nothing
 */
public record ModelDescription(String name, int numClass, int numHead, List<String> classNames, String backend,
        boolean isDefault, Set<Task> tasks, List<String> heads, String description, boolean demo) {
    public ModelDescription {
        classNames = List.copyOf(classNames);
        tasks = Set.copyOf(tasks);
        heads = List.copyOf(heads);
    }

    public ModelDescription(String name, int numClass, int numHead, List<String> classNames, String backend,
            boolean isDefault) {
        this(name, numClass, numHead, classNames, backend, isDefault, Set.of(), List.of(), "", false);
    }

    static ModelDescription of(dev.affect.proto.v1.ModelInfo m, boolean isDefault) {
        java.util.EnumSet<Task> tasks = java.util.EnumSet.noneOf(Task.class);
        for (var t : m.getTasksList()) {
            if (t != dev.affect.proto.v1.Task.TASK_UNSPECIFIED && t != dev.affect.proto.v1.Task.UNRECOGNIZED) {
                tasks.add(Task.of(t));
            }
        }
        return new ModelDescription(m.getName(), m.getNumClass(), m.getNumHead(), m.getClassNamesList(), m.getBackend(),
                isDefault, tasks, m.getHeadsList(), m.getDescription(), m.getDemo());
    }
}
