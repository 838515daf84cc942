package dev.affect.client;

/** Whether a stream's frames are face crops or whole camera frames (affect.v1.FaceMode). */
public enum FaceMode {
    /** Camera frames when an image is not 112x112 and the server has a face detector; face crops otherwise. */
    AUTO(dev.affect.proto.v1.FaceMode.FACE_AUTO),
    /** Every frame is an aligned face crop. */
    NONE(dev.affect.proto.v1.FaceMode.FACE_NONE),
    /** Every image frame is a camera frame: the server finds, follows and aligns the face. */
    DETECT(dev.affect.proto.v1.FaceMode.FACE_DETECT);

    private final dev.affect.proto.v1.FaceMode proto;

    FaceMode(dev.affect.proto.v1.FaceMode proto) {
        this.proto = proto;
    }

    dev.affect.proto.v1.FaceMode proto() {
        return proto;
    }
}
