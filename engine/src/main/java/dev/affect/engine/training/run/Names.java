package dev.affect.engine.training.run;

import dev.affect.engine.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** Case-insensitive enum names for configuration values, with an error naming the field and the choices. */
final class Names {
    private Names() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(value.trim())) {
                    return e;
                }
            }
        }
        throw new InvalidInputException(field, "unknown value '" + value + "', expected one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }
}
