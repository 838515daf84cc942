package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.BackendUnavailableException;
import dev.affect.engine.image.ImageFormatException;
import dev.affect.server.repository.MissingFileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Bad input (a missing file, a corrupt image, a checkpoint of the wrong model, a bad option value)
 * is the user's to fix: one line on stderr and exit code 2. Only typed exceptions say so (see
 * {@link #isUserError}); a plain IllegalArgumentException or IllegalStateException is our bug, like
 * anything else: exit code 1, stack trace with AFFECT_DEBUG set.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String command = cli.getCommandName();
        if (isUserError(e)) {
            cli.getErr().println("affect " + command + ": " + oneLine(e));
            return BAD_INPUT;
        }
        cli.getErr().println("affect " + command + ": internal error: " + oneLine(e));
        if (System.getenv("AFFECT_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(set AFFECT_DEBUG=1 for the stack trace)");
        }
        return INTERNAL;
    }

    /**
     * {@link InvalidInputException} (commands name the option, e.g. {@code --precision}),
     * {@link IOException}, {@link ImageFormatException}, {@link BackendUnavailableException} and
     * picocli's own parameter errors.
     */
    static boolean isUserError(Throwable e) {
        return e instanceof InvalidInputException || e instanceof IOException || e instanceof ImageFormatException
                || e instanceof BackendUnavailableException || e instanceof CommandLine.ParameterException
                || e instanceof MissingFileException;
    }

    static String oneLine(Throwable e) {
        String m = e instanceof NoSuchFileException n ? "no such file: " + n.getFile() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ').strip();
    }
}
