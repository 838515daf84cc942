package dev.affect.engine.face.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.affect.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

class FaceBoxTest {

    @Test
    void iouOfKnownBoxes() {
        FaceBox a = new FaceBox(0, 0, 10, 10);
        assertEquals(1.0, a.iou(a), 0);
        assertEquals(25.0 / 175.0, a.iou(new FaceBox(5, 5, 15, 15)), 1e-12);
        assertEquals(0.5, a.iou(new FaceBox(0, 0, 10, 5)), 1e-12);
        assertEquals(0.0, a.iou(new FaceBox(10, 0, 20, 10)), 0); // touching edges do not overlap
        assertEquals(0.0, new FaceBox(3, 3, 3, 3).iou(new FaceBox(3, 3, 3, 3)), 0); // empty boxes
        assertEquals(a.iou(new FaceBox(2, 3, 13, 11)), new FaceBox(2, 3, 13, 11).iou(a), 0);
    }

    @Test
    void invalidBoxesAndScoresAreRejected() {
        assertEquals("box", assertThrows(InvalidInputException.class, () -> new FaceBox(5, 0, 4, 10)).field());
        assertEquals("box", assertThrows(InvalidInputException.class, () -> new FaceBox(0, Float.NaN, 4, 10)).field());
        assertEquals("score", assertThrows(InvalidInputException.class, () -> new Detection(0, 0, 1, 1, Float.NaN)).field());
    }
}
