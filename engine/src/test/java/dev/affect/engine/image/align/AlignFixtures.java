package dev.affect.engine.image.align;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The RetinaFace alignment fixtures (shared/fixtures/retinaface), read in place; skips when absent. */
final class AlignFixtures {
    private AlignFixtures() {
    }

    static Path dir() {
        return SharedFixtures.dir("retinaface");
    }

    static Tensor npy(String name) {
        try {
            return NpyReader.read(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Landmark set {@code k} of align_landmarks.npy as the float32 values numpy holds. */
    static float[] landmarks(int k) {
        float[] all = npy("align_landmarks.npy").toFloatArray();
        float[] out = new float[10];
        System.arraycopy(all, k * 10, out, 0, 10);
        return out;
    }

    static AffineMatrix matrix(int k) {
        double[] all = npy("align_matrices.npy").toDoubleArray();
        double[] m = new double[6];
        System.arraycopy(all, k * 6, m, 0, 6);
        return AffineMatrix.of(m);
    }

    static RgbImage image(String name) {
        try {
            return ImageDecoder.imageIo().decode(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An [H, W, 3] uint8 array (stored RGB) as an image. */
    static RgbImage rgbNpy(String name) {
        Tensor t = npy(name);
        int[] shape = t.shape().dims();
        float[] values = t.toFloatArray();
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (byte) (int) values[i];
        }
        return new RgbImage(shape[1], shape[0], pixels);
    }

    static JsonNode astronautDetections() {
        try {
            return new ObjectMapper().readTree(dir().resolve("real/astronaut_detections.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest absolute channel difference between two images of one size. */
    static int maxDiff(RgbImage a, RgbImage b) {
        return diffStats(a, b)[0];
    }

    /** {max abs difference, number of differing channel values}. */
    static int[] diffStats(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError(a + " vs " + b);
        }
        int max = 0;
        int count = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            int d = Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
            max = Math.max(max, d);
            count += d != 0 ? 1 : 0;
        }
        return new int[] {max, count};
    }
}
