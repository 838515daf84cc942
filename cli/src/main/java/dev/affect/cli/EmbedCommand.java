package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.engine.data.cache.BackboneHash;
import dev.affect.engine.data.cache.EmbeddingCache;
import dev.affect.engine.data.cache.EmbeddingProgress;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.demo.DemoWeights;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a frozen DDAMFN backbone over every video of an ABAW split (the videos of any task) and caches
 * the embeddings under {@code --cache/<backbone hash>/<video>.emb}, so that training heads reads them
 * instead of running the backbone; videos already cached for the same weights are reused.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Cache the DDAMFN embeddings of every frame of an ABAW split (per backbone weights) for training heads.")
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "ABAW root: the task folders and cropped_aligned/.")
    Path data;

    @Option(names = "--split", defaultValue = "train", description = "train or validation (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--checkpoint", description = "DDAMFN weights: .pth/.pt or .safetensors (not with --demo).")
    Path checkpoint;

    @Option(names = "--demo", description = "Use the demo pipeline's generated backbone weights.")
    boolean demo;

    @Option(names = "--cache", required = true, description = "Cache folder; files go under <cache>/<backbone hash>/.")
    Path cache;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per backbone pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--progress", description = "Draw a progress line on stderr even when it is not a terminal.")
    boolean progress;

    @Option(names = "--recompute-corrupt", description = "Replace corrupt or truncated cache files instead of stopping.")
    boolean recomputeCorrupt;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        AbawSplit abawSplit = switch (split.toLowerCase(Locale.ROOT)) {
            case "validation" -> AbawSplit.VALIDATION;
            case "train" -> AbawSplit.TRAIN;
            default -> throw new InvalidInputException("--split", "must be train or validation, got '" + split + "'");
        };
        if (demo == (checkpoint != null)) {
            throw new InvalidInputException("--checkpoint", "give either --checkpoint or --demo");
        }
        if (batch < 1 || batch > 1024) {
            throw new InvalidInputException("--batch", "must be 1..1024, got " + batch);
        }
        if (!Files.isDirectory(data)) {
            throw new InvalidInputException("--data", "not a folder: " + data);
        }
        backendChoice.check();
        AbawDataset dataset = AbawDataset.open(data);
        TreeSet<String> all = new TreeSet<>();
        for (AbawTask t : AbawTask.values()) {
            all.addAll(dataset.videos(t, abawSplit));
        }
        if (all.isEmpty()) {
            throw new InvalidInputException("--split", "no videos in the " + abawSplit.label() + " split of " + data);
        }
        List<String> videos = List.copyOf(all);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean draw = progress || System.console() != null;
        Ddamfn.Options options = Ddamfn.Options.serving().withBuckets(InferCommand.bucketsUpTo(batch));
        try (Backend backend = backendChoice.open();
             Ddamfn model = demo ? Ddamfn.create(DemoWeights.ddamfn(), backend, options)
                     : BackendChoice.load(checkpoint, backend, options)) {
            EmbeddingCache embeddings = new EmbeddingCache(cache, BackboneHash.of(model.parameters()), model, dataset,
                    new FacePreprocessor(ImageDecoder.best()), batch);
            EmbeddingProgress bar = !draw ? EmbeddingProgress.NONE : (done, total, rate, eta) -> {
                err.print("\r" + progressLine(done, total, rate, eta.toSeconds()));
                err.flush();
            };
            EmbeddingCache.Summary summary = embeddings.embedAll(videos, recomputeCorrupt, bar);
            if (draw && summary.framesEmbedded() > 0) {
                err.println();
            }
            out.println(abawSplit.label() + ": " + summary.line());
            out.println("cache: " + embeddings.directory());
        }
        return 0;
    }

    /** {@code [#######.......]  1234/5678 frames  210.3 fps  ETA 0:21}. */
    static String progressLine(long done, long total, double rate, long etaSeconds) {
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%d/%d frames  %.1f fps  ETA %d:%02d", done, total, rate,
                        etaSeconds / 60, etaSeconds % 60);
    }
}
