package dev.affect.bindings;

/**
 * A native library could not be loaded; the message lists every place tried and why each failed.
 *
 * <p>Unchecked on purpose: only the code that opens a backend can do anything useful about it (report
 * "backend unavailable: &lt;message&gt;" and pick another backend), and everything below that would
 * only rethrow it. Callers of {@link NativeLibraries} and the facades' {@code load()} should catch it
 * at that boundary.
 */
public class NativeLibraryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeLibraryUnavailableException(String message) {
        super(message);
    }

    public NativeLibraryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
