package dev.affect.cli.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local file host for the pull tests: serves one payload at any path, honours {@code Range:
 * bytes=N-} with 206 (unless told to ignore ranges), and can cut its next response short (and go
 * down, as a dropped connection does: a test then serves the rest from a new server).
 */
final class CheckpointServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the server saw it. */
    record Request(String rawPath, String range) {
    }

    private final HttpServer server;
    private final byte[] payload;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Bytes to send before dropping the connection on the next response; -1 sends everything. */
    volatile int cutNextAfter = -1;
    volatile boolean ignoreRanges;

    CheckpointServer(byte[] payload) throws IOException {
        this.payload = payload.clone();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(ex.getRequestURI().getRawPath(), range));
        int from = 0;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches() && !ignoreRanges) {
            from = Integer.parseInt(m.group(1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (payload.length - 1) + "/" + payload.length);
            ex.sendResponseHeaders(206, payload.length - from);
        } else {
            ex.sendResponseHeaders(200, payload.length);
        }
        int cut = cutNextAfter;
        cutNextAfter = -1;
        OutputStream body = ex.getResponseBody();
        if (cut >= 0) {
            body.write(payload, from, cut);
            body.flush();
            // closing the connection with bytes still owed: the client sees the body end early
            // the connection must drop with bytes still owed; only stopping the server closes it, and
            // stop waits for handlers, so it runs on its own thread
            Thread.ofPlatform().start(() -> server.stop(0));
            return;
        }
        body.write(payload, from, payload.length - from);
        body.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
