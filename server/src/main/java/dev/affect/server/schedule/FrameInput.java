package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.FaceNormalizer;
import java.util.Objects;

/** One frame of a prediction request, as the transport decoded it (no pixels decoded yet). */
public sealed interface FrameInput {

    /** Values in a normalised face: 3 x 112 x 112. */
    int NORMALIZED_LENGTH = FaceNormalizer.CHANNELS * FaceNormalizer.SIZE * FaceNormalizer.SIZE;

    /** An encoded JPEG or PNG face crop of any size; decoded and resized on a compute thread. */
    record EncodedImage(byte[] data) implements FrameInput {
        public EncodedImage {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A face already resized to 112x112 and normalised: {@value #NORMALIZED_LENGTH} floats, CHW.
     *
     * @throws InvalidInputException (field {@code normalized}) any other length
     */
    record Normalized(float[] chw) implements FrameInput {
        public Normalized {
            Objects.requireNonNull(chw, "chw");
            if (chw.length != NORMALIZED_LENGTH) {
                throw new InvalidInputException("normalized", "a normalised face has " + NORMALIZED_LENGTH
                        + " values (3x112x112), got " + chw.length);
            }
        }
    }
}
