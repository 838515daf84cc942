package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.proto.v1.SessionOptions;
import dev.affect.server.face.FaceService;
import dev.affect.server.face.SessionFaces;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.stream.FaceMode;
import io.grpc.Status;

/**
 * A new session's face options, checked before the session exists: the face mode, every_face, and
 * max_faces with 0 replaced by the server's maximum.
 */
record FaceOptions(FaceMode mode, boolean everyFace, int maxFaces) {

    /**
     * @param detector whether the server has a face detector
     * @param serverMaxFaces the most faces per frame the server follows ({@code serve --max-faces})
     */
    static FaceOptions of(SessionOptions o, boolean detector, int serverMaxFaces) {
        FaceMode mode = switch (o.getFace()) {
            case FACE_AUTO -> FaceMode.AUTO;
            case FACE_NONE -> FaceMode.NONE;
            case FACE_DETECT -> FaceMode.DETECT;
            case UNRECOGNIZED -> throw new InvalidInputException("open.options.face", "unknown face mode " + o.getFaceValue());
        };
        if (mode == FaceMode.DETECT && !detector) {
            throw noDetector("open.options.face: DETECT");
        }
        if (o.getEveryFace()) {
            if (mode == FaceMode.NONE) {
                throw new InvalidInputException("open.options.every_face", "needs face detection, but face is FACE_NONE"
                        + " (frames are face crops); use FACE_DETECT or FACE_AUTO");
            }
            if (!detector) {
                throw noDetector("open.options.every_face");
            }
        }
        int max = o.getMaxFaces();
        if (max != 0 && !o.getEveryFace()) {
            throw new InvalidInputException("open.options.max_faces", "applies only with every_face, got " + max);
        }
        if (max < 0 || max > serverMaxFaces) {
            throw new InvalidInputException("open.options.max_faces", "must be in 0.." + serverMaxFaces
                    + " (0 = the server's maximum, " + serverMaxFaces + "), got " + max);
        }
        return new FaceOptions(mode, o.getEveryFace(), o.getEveryFace() ? (max == 0 ? serverMaxFaces : max) : 0);
    }

    private static RuntimeException noDetector(String what) {
        return Status.FAILED_PRECONDITION.withDescription(what + " needs a face detector, and this server has none"
                + " (start it with --detector mobilenet0.25_Final.pth)").asRuntimeException();
    }

    /** The session's face stage: null when frames are never searched (FACE_NONE, or no detector). */
    SessionFaces stage(FaceService faces, ServedPipeline pipeline, int smoothingWindow) {
        if (mode == FaceMode.NONE || faces == null) {
            return null;
        }
        return everyFace ? SessionFaces.everyFace(faces, maxFaces, pipeline, smoothingWindow) : new SessionFaces(faces);
    }
}
