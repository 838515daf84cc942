package dev.affect.bench;

/**
 * One {@code --name value} option of a bench tool.
 *
 * @param defaultValue used when the option is left out
 * @param shownDefault the default as the usage text states it (a computed one explains itself)
 */
record BenchOption(String name, String valueLabel, String defaultValue, String shownDefault, String description) {

    static BenchOption of(String name, String valueLabel, String defaultValue, String description) {
        return new BenchOption(name, valueLabel, defaultValue, defaultValue, description);
    }
}
