package dev.affect.engine.image;

import java.util.Locale;

/**
 * Sorts libjpeg's messages for both JPEG decoders (ImageIO's warning listener and libjpeg-turbo):
 * running out of data means truncated; damaged entropy-coded data means corrupt pixels.
 * "Extraneous bytes before marker" and metadata warnings are harmless (common in camera files) and,
 * as in Pillow, ignored.
 */
final class JpegWarnings {
    static final String TRUNCATED = "truncated";
    static final String CORRUPT = "corrupt";

    private JpegWarnings() {
    }

    /** {@link #TRUNCATED}, {@link #CORRUPT}, or null when a warning with this text leaves a sound image. */
    static String problem(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("premature end of jpeg file") || m.contains("truncated") || m.contains("missing eoi")) {
            return TRUNCATED;
        }
        if (m.contains("corrupt") && !m.contains("extraneous bytes")) {
            return CORRUPT;
        }
        return null;
    }

    static boolean isHarmless(String warning) {
        return problem(warning) == null;
    }

    /** What a fatal libjpeg error says about the file: truncated when it ran out of data, else corrupt. */
    static String fatalProblem(String message) {
        return TRUNCATED.equals(problem(message)) ? TRUNCATED : CORRUPT;
    }
}
