package dev.affect.bindings.dnnl;

import dev.affect.bindings.NativeException;

/** A oneDNN C API call returned a status other than {@code dnnl_success}; thrown by {@link Dnnl#check}. */
public final class DnnlException extends NativeException {
    private static final long serialVersionUID = 1L;

    public DnnlException(String function, int status, String statusText) {
        super("oneDNN", function, status, statusText);
    }
}
