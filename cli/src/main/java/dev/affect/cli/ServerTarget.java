package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --target} checked before any channel is built: gRPC accepts many strings it can only
 * fail on later, on a background thread, and a port out of range even kills that thread.
 */
record ServerTarget(String host, int port) {
    /** A host name or IPv4 address, or an IPv6 address in brackets; then a port of up to 5 digits. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):([0-9]{1,5})");

    /** @throws InvalidInputException (field {@code option}) when the value is not host:port with a port in 1..65535 */
    static ServerTarget parse(String option, String value) {
        Matcher m = HOST_PORT.matcher(value);
        if (!m.matches()) {
            throw new InvalidInputException(option, "'" + value + "' is not host:port (e.g. localhost:50051)");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new InvalidInputException(option, "'" + value + "': port must be in 1..65535, got " + port);
        }
        return new ServerTarget(m.group(1), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
