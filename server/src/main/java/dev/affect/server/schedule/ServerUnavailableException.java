package dev.affect.server.schedule;

/** The server cannot take work now (it is shutting down); the caller may retry elsewhere or later. */
public final class ServerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerUnavailableException(String message) {
        super(message);
    }
}
