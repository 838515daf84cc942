package dev.affect.cli;

import dev.affect.client.AffectClient;
import dev.affect.client.AffectClientException;
import dev.affect.client.FrameResult;
import dev.affect.client.ModelDescription;
import dev.affect.client.PredictOptions;
import dev.affect.engine.InvalidInputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends face crops to a running server and prints one line per image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Ask a running affect server for the expression of face crops (JPEG/PNG).")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, description = "The server: host:port.")
    String target;

    @Option(names = "--model", defaultValue = "", description = "A model name; the server's default when left out.")
    String model;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds each call may take (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--verbose", description = "Also print gRPC's own log messages (name resolution, connection attempts).")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Face crops, any size.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new InvalidInputException("--timeout", "must be in (0, 86400] seconds, got " + timeoutSeconds);
        }
        ServerTarget server = ServerTarget.parse("--target", target);
        List<byte[]> data = new ArrayList<>();
        for (Path image : images) {
            data.add(Files.readAllBytes(image));
        }
        Duration timeout = Duration.ofNanos((long) (timeoutSeconds * 1e9));
        PrintWriter out = spec.commandLine().getOut();
        try (QuietGrpcLogs quiet = verbose ? QuietGrpcLogs.none() : QuietGrpcLogs.install();
                AffectClient client = connect(server, timeout)) {
            List<FrameResult> results = client.predict(data, PredictOptions.defaults().withModel(model));
            List<String> classes = classNames(client.listModels());
            for (int i = 0; i < results.size(); i++) {
                out.println(line(images.get(i), results.get(i), classes));
            }
        } catch (AffectClientException e) {
            spec.commandLine().getErr().println("affect predict: " + (e.isUnreachable() ? "cannot reach " : "") + target + ": "
                    + UserErrors.oneLine(e));
            return e.isServerError() ? UserErrors.INTERNAL : UserErrors.BAD_INPUT;
        }
        out.flush();
        return 0;
    }

    /** A channel to --target; a target gRPC still cannot parse is the user's to fix. */
    private AffectClient connect(ServerTarget server, Duration timeout) {
        try {
            return AffectClient.forTarget(server.toString(), timeout);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--target", "'" + target + "': " + e.getMessage(), e);
        }
    }

    /** The class names of the model that answered ({@code --model}, or the default). */
    private List<String> classNames(List<ModelDescription> models) {
        for (ModelDescription m : models) {
            if (model.isEmpty() ? m.isDefault() : m.name().equals(model)) {
                return m.classNames();
            }
        }
        return List.of();
    }

    /** {@code face.png  Happy  Neutral=0.0123 Happy=0.9512 ...} (class indices when names are unknown). */
    static String line(Path image, FrameResult r, List<String> classes) {
        StringBuilder b = new StringBuilder().append(image).append("  ").append(r.expression());
        float[] p = r.probabilities();
        for (int k = 0; k < p.length; k++) {
            String name = k < classes.size() ? classes.get(k) : Integer.toString(k);
            b.append(k == 0 ? "  " : " ").append(name).append('=').append(String.format(Locale.ROOT, "%.4f", p[k]));
        }
        return b.toString();
    }
}
