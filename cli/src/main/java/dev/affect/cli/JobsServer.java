package dev.affect.cli;

import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.engine.InvalidInputException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The server an {@code affect jobs} command talks to, and how its refusals reach the user: one line
 * on stderr, exit 2 for a refusal (unknown job, bad state, unreachable server), 1 for the server's
 * own error.
 */
final class JobsServer {
    @Option(names = "--target", defaultValue = "localhost:50051", description = "The server: host:port (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds a call may take (default: ${DEFAULT-VALUE}; watch has none).")
    double timeoutSeconds;

    /** What a command does with a connected client; returns the exit code. */
    @FunctionalInterface
    interface Call {
        int run(AffectClient client) throws Exception;
    }

    int run(String command, PrintWriter err, Call call) throws Exception {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new InvalidInputException("--timeout", "must be in (0, 86400] seconds, got " + timeoutSeconds);
        }
        ServerTarget server = ServerTarget.parse("--target", target);
        AffectClient client;
        try {
            client = AffectClient.forTarget(server.toString(), Duration.ofNanos((long) (timeoutSeconds * 1e9)));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--target", "'" + target + "': " + e.getMessage(), e);
        }
        try (QuietGrpcLogs quiet = QuietGrpcLogs.install(); client) {
            return call.run(client);
        } catch (AffectClientException e) {
            err.println("affect jobs " + command + ": " + (e.isUnreachable() ? "cannot reach " + target + ": " : "")
                    + UserErrors.oneLine(e));
            return e.isServerError() ? UserErrors.INTERNAL : UserErrors.BAD_INPUT;
        }
    }
}
