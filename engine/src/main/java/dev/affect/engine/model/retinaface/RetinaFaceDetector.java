package dev.affect.engine.model.retinaface;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Face detection as DDAMFN++'s face_align_v2.0.py does it: resize (shorter side to 320, longer side
 * at most 320), RetinaFace, decode, threshold, NMS. Boxes and landmarks come back in the original
 * image's pixels, best score first.
 *
 * <p>The resized image (longer side always {@code maxSize}) is padded bottom/right with zeros (after
 * mean subtraction) to a multiple of {@link DetectionConfig#bucketMultiple()}, so a handful of
 * executables (at most 2 * maxSize / multiple - 1; 19 for the defaults) serve every image size; each
 * is compiled on first use and kept until {@link #close()}. Priors are made for the padded size and
 * decoding scales by it, which leaves pixel coordinates where they are; only the resize factor maps
 * them back. Padding changes the network's view near the bottom/right edge slightly; with
 * bucketMultiple 1 (or an image whose resized size is already a multiple) results are the authors'.
 *
 * <p>Any image of at least 1 x 1 is processed (a 1 x 1 image is resized to 320 x 320 like any other,
 * and gets whatever the network sees: with the released weights, no face). A resized side never
 * drops below 1 pixel (OpenCV would refuse 10000 x 10, the authors' script crashes there). Memory is
 * bounded by the network input, not the image. Detections are serialised on one detector.
 */
public final class RetinaFaceDetector implements AutoCloseable {
    private final RetinaFace model;
    private final DetectionConfig config;
    private final Map<Long, float[]> priors = new HashMap<>();
    /** The last network input, written over by the next frame of the same padded size. */
    private float[] input;

    /** Takes ownership of the model: closing the detector closes it. */
    public RetinaFaceDetector(RetinaFace model, DetectionConfig config) {
        if (model == null || config == null) {
            throw new IllegalArgumentException("model and config must be given");
        }
        this.model = model;
        this.config = config;
    }

    /** Loads weights ({@code .pth} or {@code .safetensors}) onto a backend (which stays the caller's). */
    public static RetinaFaceDetector load(Path weights, Backend backend, DetectionConfig config) throws IOException {
        return new RetinaFaceDetector(RetinaFace.load(weights, backend), config);
    }

    public DetectionConfig config() {
        return config;
    }

    public RetinaFace model() {
        return model;
    }

    /** Executables compiled so far (one per size bucket seen). */
    public int bucketCount() {
        return model.compiledShapes();
    }

    public List<FaceDetection> detect(RgbImage image) {
        if (image == null) {
            throw new InvalidInputException("image", "no image given");
        }
        return detect(image.pixels(), image.width(), image.height(), 3);
    }

    /**
     * Faces in 8-bit HWC pixels: {@code channels} 3 (R, G, B, as {@link RgbImage}) or 1 (grey-scale,
     * read as R = G = B as cv2.imread(IMREAD_COLOR) does).
     *
     * @throws InvalidInputException naming "image" for an empty image, a channel count other than 1 or 3,
     *                               or a pixel array of the wrong length
     */
    public List<FaceDetection> detect(byte[] pixels, int width, int height, int channels) {
        if (width < 1 || height < 1) {
            throw new InvalidInputException("image", "an image needs at least 1 x 1 pixels, got " + width + " x " + height);
        }
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("image", "1 (grey) or 3 (RGB) channels expected, got " + channels);
        }
        long need = (long) width * height * channels;
        if (pixels == null || pixels.length != need) {
            throw new InvalidInputException("image", width + " x " + height + " x " + channels + " needs " + need
                    + " bytes, got " + (pixels == null ? "none" : pixels.length));
        }
        return detectChecked(pixels, width, height, channels);
    }

    private synchronized List<FaceDetection> detectChecked(byte[] pixels, int width, int height, int channels) {
        Preprocessing.Prepared in = Preprocessing.prepare(pixels, width, height, channels, config, Preprocessing.Layout.HWC,
                input);
        input = in.values(); // reused while frames keep their size bucket
        int ph = in.paddedHeight();
        int pw = in.paddedWidth();
        RetinaFace.Arrays out = model.run(in.values(), ph, pw);
        float[] p = priors.computeIfAbsent(((long) ph << 32) | pw, k -> Priors.of(ph, pw));
        return decode(out, p, in, config);
    }

    /**
     * The faces in one image's raw outputs: boxes and landmarks decoded against the padded input's
     * priors and scaled back to the original image, then threshold, top-k, NMS and keep-top-k.
     * Public so that a benchmark can time the network apart and still run exactly this.
     */
    public static List<FaceDetection> decode(RetinaFace.Arrays out, float[] priors, Preprocessing.Prepared in,
            DetectionConfig config) {
        int ph = in.paddedHeight();
        int pw = in.paddedWidth();
        // only priors above the threshold can be kept, and each row decodes on its own: decoding just
        // those gives the authors' values at a fraction of the cost (a frame has thousands of priors)
        float[] conf = out.conf();
        int[] above = new int[conf.length / 2];
        int count = 0;
        for (int i = 0; i < above.length; i++) {
            if (conf[2 * i + 1] > config.confidenceThreshold()) {
                above[count++] = i;
            }
        }
        float[] scores = new float[count];
        for (int k = 0; k < count; k++) {
            scores[k] = conf[2 * above[k] + 1];
        }
        float[] rowPriors = rows(priors, 4, above, count);
        float[] boxes = BoxDecoder.boxes(rows(out.loc(), 4, above, count), rowPriors, pw, ph, in.resize());
        float[] landmarks = BoxDecoder.landmarks(rows(out.landms(), 10, above, count), rowPriors, pw, ph, in.resize());
        return PostProcessing.detections(PostProcessing.keep(boxes, scores, config), boxes, scores, landmarks);
    }

    /** Rows {@code index[0 .. count)} of a [P, per] array, in that order. */
    private static float[] rows(float[] values, int per, int[] index, int count) {
        float[] out = new float[count * per];
        for (int k = 0; k < count; k++) {
            System.arraycopy(values, index[k] * per, out, k * per, per);
        }
        return out;
    }

    /** Compiles every bucket now, so no request pays for a compilation. */
    public synchronized void compileAllBuckets() {
        int m = config.bucketMultiple();
        int longest = Preprocessing.padded(config.maxSize(), m);
        for (int side = m; side <= longest; side += m) {
            model.compile(Shape.of(1, 3, side, longest));
            model.compile(Shape.of(1, 3, longest, side));
        }
    }

    /** Closes the model: every bucket's executable, then the parameters. Idempotent. */
    @Override
    public void close() {
        model.close();
    }
}
