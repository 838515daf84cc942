package dev.affect.bench;

/** A bad command line; the message is one line naming the option, without the program name. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
