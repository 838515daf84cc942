package dev.affect.client;

/** Something that happened to a stream's session. */
public record SessionEvent(Kind kind, String sessionId, String message) {

    public enum Kind {
        /** The server dropped the session; the stream ends with ABORTED right after. */
        EVICTED,
        /** The server is shutting down; received frames are answered, then UNAVAILABLE. */
        SHUTTING_DOWN,
        /** The client's end was done; the stream completes OK. */
        ENDED,
        /** A kind this SDK does not know. */
        UNKNOWN
    }

    static SessionEvent of(dev.affect.proto.v1.SessionEvent e) {
        Kind kind = switch (e.getKind()) {
            case EVICTED -> Kind.EVICTED;
            case SHUTTING_DOWN -> Kind.SHUTTING_DOWN;
            case ENDED -> Kind.ENDED;
            default -> Kind.UNKNOWN;
        };
        return new SessionEvent(kind, e.getSessionId(), e.getMessage());
    }
}
