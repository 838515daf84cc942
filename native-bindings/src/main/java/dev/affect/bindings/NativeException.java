package dev.affect.bindings;

/**
 * A native library call returned an error status.
 *
 * <p>Carries the library, the C function, its status code and the library's own text for that code
 * (for example {@code dnnl_status2str}), so logs and gRPC {@code INTERNAL} descriptions say what
 * failed without a debugger. Each library's facade throws its own subclass from its {@code check}.
 */
public class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String library;
    private final String function;
    private final int code;
    private final String statusText;

    public NativeException(String library, String function, int code, String statusText) {
        super(library + " " + function + " failed: " + statusText + " (status " + code + ")");
        this.library = library;
        this.function = function;
        this.code = code;
        this.statusText = statusText;
    }

    /** Display name of the library, e.g. {@code oneDNN}. */
    public String library() {
        return library;
    }

    /** The C function that returned the status, e.g. {@code dnnl_primitive_execute}. */
    public String function() {
        return function;
    }

    /** The raw status code the function returned. */
    public int code() {
        return code;
    }

    /** The library's description of {@link #code()}. */
    public String statusText() {
        return statusText;
    }
}
