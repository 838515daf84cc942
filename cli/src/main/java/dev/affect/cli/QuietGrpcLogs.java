package dev.affect.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * grpc-java and Netty log a failed connection or name lookup through java.util.logging, with a
 * stack trace, before the call fails; a client command reports that failure itself in one line.
 * Silences their loggers while open and restores the previous levels on close.
 */
final class QuietGrpcLogs implements AutoCloseable {
    private static final List<String> NOISY = List.of("io.grpc", "io.netty");

    // Strong references: java.util.logging forgets the level of a logger nobody holds.
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> previous = new ArrayList<>();

    private QuietGrpcLogs() {
    }

    /** Silences gRPC and Netty logging until {@link #close()}. */
    static QuietGrpcLogs install() {
        QuietGrpcLogs quiet = new QuietGrpcLogs();
        for (String name : NOISY) {
            Logger logger = Logger.getLogger(name);
            quiet.loggers.add(logger);
            quiet.previous.add(logger.getLevel());
            logger.setLevel(Level.OFF);
        }
        return quiet;
    }

    /** Leaves logging as it is (for {@code --verbose}). */
    static QuietGrpcLogs none() {
        return new QuietGrpcLogs();
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).setLevel(previous.get(i));
        }
    }
}
