package dev.affect.server.stream;

/** Whether a session's frames are face crops or camera frames to find the face in (affect.v1.FaceMode). */
public enum FaceMode {
    /** Detect in image frames that are not 112x112, when the server has a detector. */
    AUTO,
    /** Every frame is a face crop. */
    NONE,
    /** Every image frame is a camera frame. */
    DETECT
}
