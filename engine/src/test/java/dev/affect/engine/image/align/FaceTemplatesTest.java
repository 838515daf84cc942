package dev.affect.engine.image.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

class FaceTemplatesTest {

    @Test
    void templatesAreTheAuthorsFloat32Values() {
        float[] stored = AlignFixtures.npy("align_templates_112.npy").toFloatArray();
        assertEquals(FaceTemplates.POSES * 10, stored.length);
        for (int pose = 0; pose < FaceTemplates.POSES; pose++) {
            float[] expected = new float[10];
            System.arraycopy(stored, pose * 10, expected, 0, 10);
            assertArrayEquals(expected, FaceTemplates.template(pose, 112), 0f, "pose " + pose);
        }
    }

    @Test
    void templatesFor224AreDoubled() {
        for (int pose = 0; pose < FaceTemplates.POSES; pose++) {
            float[] t112 = FaceTemplates.template(pose, 112);
            float[] t224 = FaceTemplates.template(pose, 224);
            for (int i = 0; i < 10; i++) {
                assertEquals(2 * t112[i], t224[i], 0f);
            }
        }
    }

    @Test
    void frontalEyesAndMouthCornersShareARow() {
        float[] f = FaceTemplates.template(FaceTemplates.FRONTAL, 112);
        assertEquals(f[1], f[3], 0f);
        assertEquals(f[7], f[9], 0f);
    }

    @Test
    void returnsACopy() {
        FaceTemplates.template(0, 112)[0] = -1f;
        assertEquals(55.550f, FaceTemplates.template(0, 112)[0], 0f);
    }

    @Test
    void rejectsUnknownSizesAndPoses() {
        assertEquals("crop_size", assertThrows(InvalidInputException.class, () -> FaceTemplates.template(0, 128)).field());
        assertEquals("pose", assertThrows(InvalidInputException.class, () -> FaceTemplates.template(5, 112)).field());
        assertEquals("pose", assertThrows(InvalidInputException.class, () -> FaceTemplates.template(-1, 224)).field());
    }
}
