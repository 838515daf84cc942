package dev.affect.bindings.turbojpeg;

import dev.affect.bindings.NativeException;

/**
 * A TurboJPEG call failed; thrown by {@link TurboJpeg}.
 *
 * <p>TurboJPEG functions only return -1 (or NULL), so {@link #code()} is {@code tjGetErrorCode}'s
 * severity instead: {@link #WARNING} when libjpeg only warned (damaged or truncated data that it
 * would have patched over) and the caller did not tolerate that warning, {@link #FATAL} otherwise.
 * {@link #statusText()} is {@code tjGetErrorStr2}'s text, e.g. {@code Premature end of JPEG file}.
 */
public final class TurboJpegException extends NativeException {
    private static final long serialVersionUID = 1L;

    /** {@code TJERR_WARNING}. */
    public static final int WARNING = 0;
    /** {@code TJERR_FATAL}. */
    public static final int FATAL = 1;

    public TurboJpegException(String function, int code, String statusText) {
        super("libjpeg-turbo", function, code, statusText);
    }

    /** True when libjpeg only warned: it could have produced an image, with the damage patched over. */
    public boolean isWarning() {
        return code() == WARNING;
    }
}
