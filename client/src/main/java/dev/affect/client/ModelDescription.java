package dev.affect.client;

import java.util.List;

/**
 * A model the server has loaded.
 *
 * @param classNames in logit order
 * @param backend what it runs on (cpu, reference, cuda)
 * @param isDefault whether an empty model name selects it
 */
public record ModelDescription(String name, int numClass, int numHead, List<String> classNames, String backend,
        boolean isDefault) {
    public ModelDescription {
        classNames = List.copyOf(classNames);
    }
}
