package dev.affect.cli.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a URL into a {@code .part} file that survives an interruption: a rerun asks for the
 * rest with {@code Range: bytes=<have>-} and appends on 206, or starts over on 200 (a server that
 * ignores ranges). The file is forced to disk before returning, so a rename after it is durable.
 */
final class ResumableDownload {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient http;

    ResumableDownload() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build());
    }

    ResumableDownload(HttpClient http) {
        this.http = http;
    }

    /** What a finished transfer left in the part file. */
    record Result(long size, boolean resumed) {
    }

    /**
     * Fetches {@code url} into {@code part} (resuming what it already holds) until the server's
     * declared length is reached. A transfer cut short is an IOException saying how much is kept.
     */
    Result fetch(URI url, Path part, DownloadProgress progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpResponse<InputStream> response = send(url, have);
        if (response.statusCode() == 416 && have > 0) {
            // the part is no prefix of the file (longer than it, say): start over
            response.body().close();
            Files.delete(part);
            have = 0;
            response = send(url, 0);
        }
        int status = response.statusCode();
        boolean resumed = status == 206;
        if (status != 200 && !resumed) {
            response.body().close();
            throw new IOException("cannot download " + url + ": HTTP " + status);
        }
        long total;
        if (resumed) {
            total = resumeTotal(url, response, have);
        } else {
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            have = 0; // 200: the whole file follows, whatever the part held
        }
        StandardOpenOption mode = resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = response.body();
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buf = new byte[1 << 16];
            progress.update(have, total);
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    have += n;
                    progress.update(have, total);
                }
            } catch (IOException e) {
                out.force(true);
                throw new IOException("download of " + url + " interrupted after " + have + " bytes (kept in " + part
                        + "; run again to resume): " + describe(e), e);
            }
            out.force(true);
        } finally {
            progress.done();
        }
        if (total >= 0 && have != total) {
            throw new IOException("download of " + url + " ended at " + have + " of " + total
                    + " bytes (kept in " + part + "; run again to resume)");
        }
        return new Result(have, resumed);
    }

    private HttpResponse<InputStream> send(URI url, long from) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + url + " interrupted");
        } catch (IOException e) {
            throw new IOException("cannot download " + url + ": " + describe(e), e);
        }
    }

    /** The full length from a 206's Content-Range, which must start where the part ends. */
    private static long resumeTotal(URI url, HttpResponse<InputStream> response, long have) throws IOException {
        String range = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
            response.body().close();
            throw new IOException("cannot resume " + url + ": asked for bytes " + have + "-, got Content-Range '" + range + "'");
        }
        OptionalLong total = m.group(3).equals("*") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(3)));
        return total.orElse(-1);
    }

    /** An exception's message, or its type where it has none (a refused connection, say). */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
