package dev.affect.engine.data.abaw;

/** The annotated splits of an ABAW release; the test split has no labels. */
public enum AbawSplit {
    TRAIN("Train_Set"),
    VALIDATION("Validation_Set");

    private final String folder;

    AbawSplit(String folder) {
        this.folder = folder;
    }

    /** The split's folder under a task folder, e.g. {@code Train_Set}. */
    public String folder() {
        return folder;
    }

    /** Lower-case name for tables and JSON: {@code train}, {@code validation}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
