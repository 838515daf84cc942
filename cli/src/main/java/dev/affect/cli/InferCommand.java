package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.io.NpyWriter;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Pipeline;
import dev.affect.engine.model.heads.PipelineOutput;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs DDAMFN on images or a normalised array and writes logits, embeddings and probabilities; with
 * heads, the N frames are one clip in time order and every head's values are written too.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run DDAMFN (and temporal heads) on a .npy (N,3,112,112), an image, or a folder of images.")
final class InferCommand implements Callable<Integer> {
    /** With --detect: the aligned crops' folder under --out, and the json mapping photos and faces to rows. */
    static final String FACES_DIR = "faces";
    static final String FACES_JSON = "faces.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "DDAMFN weights: .pth/.pt (torch.save) or .safetensors.")
    Path checkpoint;

    @Option(names = "--head", description = "A temporal head (FC or LSTM state_dict, .pth or .safetensors); its task comes "
            + "from its keys: va (tanh), expr (softmax), au (sigmoid), anything else raw. Repeat for several tasks.")
    List<Path> heads = new ArrayList<>();

    @Option(names = "--input", required = true, description = "A .npy already normalised, a .jpg/.png, or a folder of "
            + "them (in name order: with heads, the frames of one clip in time order); with --detect, whole photos.")
    Path input;

    @Option(names = "--out", required = true, description = "Folder for logits.npy, embedding.npy, probabilities.json "
            + "and, with heads, va.npy (N,2), expr.npy (N,8), au.npy (N,12) or <key>.npy.")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--detect", description = "--input holds whole photos: find their faces first (RetinaFace, --detector) "
            + "and run on each face's aligned 112x112 crop; writes faces/<photo>_f<i>.png and faces.json (photo and face "
            + "of every row; a photo without a face lists []). Rows are named <photo>#f<i>, faces in descending score.")
    boolean detect;

    @Mixin
    DetectionOptions detection;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > BatchBuckets.MAX_SIZE) {
            throw new InvalidInputException("--batch", "must be in 1.." + BatchBuckets.MAX_SIZE + ", got " + batch);
        }
        backendChoice.check();
        List<Path> photos = null;
        InferInput in = null;
        if (detect) {
            detection.check();
            photos = FaceExtraction.photos(input, "--input");
            if (photos.size() == 1 && photos.getFirst().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw new InvalidInputException("--input", input + ": --detect needs photos (.jpg/.png), not an array");
            }
        } else {
            if (detection.detector != null) {
                throw new InvalidInputException("--detector", "only used with --detect");
            }
            in = InferInput.open(input);
        }
        for (Path h : heads) {
            if (!Files.isRegularFile(h)) {
                throw new InvalidInputException("--head", "no such file: " + h);
            }
        }
        try (Backend backend = backendChoice.open()) {
            if (detect) {
                in = detectFaces(backend, photos);
                if (in.count() == 0) {
                    spec.commandLine().getOut().println("no face in " + photos.size() + " photo" + (photos.size() == 1 ? "" : "s")
                            + ": nothing to infer; wrote " + out.resolve(FACES_JSON));
                    return 0;
                }
            }
            infer(backend, in);
        }
        return 0;
    }

    private void infer(Backend backend, InferInput in) throws java.io.IOException {
        int n = in.count();
        Ddamfn.Options options = Ddamfn.Options.serving().withBuckets(bucketsUpTo(Math.min(batch, n)));
        List<Head> loaded = new ArrayList<>();
        try (Ddamfn model = BackendChoice.load(checkpoint, backend, options); TensorScope scope = new TensorScope()) {
            try {
                for (Path h : heads) {
                    loaded.add(Head.load(h, backend));
                }
                Tensor logits = scope.allocate(DType.F32, Shape.of(n, model.config().numClass()));
                Tensor embedding = scope.allocate(DType.F32, Shape.of(n, model.embeddingSize()));
                backbone(model, in, n, logits, embedding, scope);
                Map<String, Tensor> values = loaded.isEmpty() ? Map.of() : heads(model, loaded, embedding, scope);
                write(model, in, n, logits, embedding, values);
                spec.commandLine().getOut().println("wrote " + n + " predictions" + (values.isEmpty() ? "" : " and " + values.keySet())
                        + " to " + out + " (" + backend.description() + ")");
            } finally {
                loaded.forEach(Head::close);
            }
        }
    }

    /**
     * RetinaFace over the photos: each face's aligned crop goes to {@code <out>/faces/}, faces.json maps
     * photo and face to the row of the outputs, and the crops become the rows, photo by photo, best
     * face first. A photo without a face gives no row (and {@code []} in faces.json); with heads, a
     * photo may not have more than one.
     */
    private InferInput detectFaces(Backend backend, List<Path> photos) throws java.io.IOException {
        PhotoReader reader = new PhotoReader(ImageDecoder.best(), detection.budget());
        Map<String, List<FaceExtraction.Extracted>> found;
        try (FaceFinder finder = detection.load(backend)) {
            found = new FaceExtraction(finder, reader).run(photos, out.resolve(FACES_DIR), (base, image, faces) -> { });
        }
        List<Path> crops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, List<Map<String, Object>>> json = new LinkedHashMap<>();
        for (Map.Entry<String, List<FaceExtraction.Extracted>> photo : found.entrySet()) {
            // Heads read the rows as one clip in time order: faces of several people in it would be mixed up.
            if (!heads.isEmpty() && photo.getValue().size() > 1) {
                throw new InvalidInputException("--head", photo.getKey() + " has " + photo.getValue().size() + " faces; with "
                        + "--head the photos are the frames of one person's clip (--keep-top-k 1 keeps the best face)");
            }
            List<Map<String, Object>> entries = new ArrayList<>();
            for (int i = 0; i < photo.getValue().size(); i++) {
                FaceExtraction.Extracted f = photo.getValue().get(i);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("row", crops.size());
                entry.put("face", i);
                entry.putAll(DetectionsJson.face(f.detection(), FACES_DIR + "/" + f.crop()));
                entries.add(entry);
                crops.add(out.resolve(FACES_DIR).resolve(f.crop()));
                names.add(photo.getKey() + "#f" + i);
            }
            json.put(photo.getKey(), entries);
        }
        DetectionsJson.write(out.resolve(FACES_JSON), json);
        return InferInput.images(crops, names);
    }

    /** Powers of two below max, and max: any chunk runs on a bucket at most twice its size. */
    static BatchBuckets bucketsUpTo(int max) {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (int b = 1; b < max; b *= 2) {
            sizes.add(b);
        }
        sizes.add(max);
        return BatchBuckets.of(List.copyOf(sizes));
    }

    private void backbone(Ddamfn model, InferInput in, int n, Tensor logits, Tensor embedding, TensorScope scope)
            throws java.io.IOException {
        List<String> outputs = List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING);
        Tensor frames = scope.allocate(DType.F32, Ddamfn.inputShape(Math.min(batch, n)));
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            Tensor chunk = frames.slice(0, end - start);
            in.fill(chunk, start);
            Map<String, Tensor> result = model.run(chunk, outputs);
            logits.slice(start, end).copyFrom(result.get(DdamfnNetwork.LOGITS));
            embedding.slice(start, end).copyFrom(result.get(DdamfnNetwork.EMBEDDING));
        }
    }

    /** Every head over the clip, from a fresh state, on the embeddings the backbone pass made. */
    private static Map<String, Tensor> heads(Ddamfn model, List<Head> loaded, Tensor embedding, TensorScope scope) {
        Pipeline pipeline = Pipeline.of(model, loaded);
        PipelineOutput result = pipeline.runOnEmbeddings(embedding, pipeline.newState(scope), scope);
        return new LinkedHashMap<>(result.values());
    }

    private void write(Ddamfn model, InferInput in, int n, Tensor logits, Tensor embedding, Map<String, Tensor> values)
            throws java.io.IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(in.name(i));
        }
        Files.createDirectories(out);
        NpyWriter.write(out.resolve("logits.npy"), logits);
        NpyWriter.write(out.resolve("embedding.npy"), embedding);
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            NpyWriter.write(out.resolve(e.getKey() + ".npy"), e.getValue());
        }
        ProbabilitiesJson.write(out.resolve("probabilities.json"), model.config().classNames(), names, logits, values);
    }
}
