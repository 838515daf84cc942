package dev.affect.engine;

/**
 * Bad input from a user or client: a tensor of the wrong shape, a NaN, a checkpoint for another
 * model. It names the field it concerns so a server can answer INVALID_ARGUMENT precisely and a CLI
 * can print one line. Anything else thrown by the engine is an internal error: a bug to log, never
 * the caller's fault.
 */
public class InvalidInputException extends RuntimeException {
    private final String field;
    private final String reason;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    public InvalidInputException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
        this.reason = message;
    }

    /** The input, tensor, file or state_dict key the problem is in. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field's name (to restate under another name, say an option). */
    public String reason() {
        return reason;
    }
}
