package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.PixelBudget;
import dev.affect.engine.model.retinaface.DetectionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The RetinaFace options that {@code detect} and {@code infer --detect} share: the weights and the
 * selection rules, whose defaults are the DDAMFN++ authors' (face_align_v2.0.py).
 */
final class DetectionOptions {
    /** Where the released weights come from, said whenever --detector is missing. */
    static final String RELEASED_WEIGHTS = "the released mobilenet0.25_Final.pth comes with github.com/biubug6/Pytorch_Retinaface "
            + "(weights/) and the DDAMFN repository (DDAMFN++/Retinaface_alignment_ver2.0/weights/)";
    @Option(names = "--detector", paramLabel = "FILE",
            description = "RetinaFace MobileNet-0.25 weights (.pth or .safetensors), required: " + RELEASED_WEIGHTS + ".")
    Path detector;

    @Option(names = "--confidence", paramLabel = "P", defaultValue = "0.6", description = "Keep faces scoring above this (default: ${DEFAULT-VALUE}).")
    float confidence;

    @Option(names = "--nms", paramLabel = "IOU", defaultValue = "0.35", description = "NMS IoU threshold (default: ${DEFAULT-VALUE}).")
    float nms;

    @Option(names = "--top-k", paramLabel = "N", description = "Candidates kept before NMS (default: all).")
    Integer topK;

    @Option(names = "--keep-top-k", paramLabel = "N", description = "Faces kept per photo after NMS (default: all).")
    Integer keepTopK;

    @Option(names = "--size-bucket", paramLabel = "N", defaultValue = "1",
            description = "Pad each resized photo (longer side 320) up to a multiple of N so photos of similar shapes share "
                    + "one compiled network (at most 640/N - 1 of them). 1, the default, runs every size as it is: the authors' "
                    + "numbers exactly, with at most 24 sizes kept compiled (least recently used recompiled); 32 moved "
                    + "landmarks by up to 0.2 px on real photos.")
    int sizeBucket;

    // Whole photos, not face crops (whose budget is 16 Mpixel): 50 Mpixel admits 48-Mpixel phone
    // cameras and bounds a decode to a few hundred MB.
    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "50000000",
            description = "Refuse photos declaring more pixels than this, before decoding (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    /**
     * The detection settings, checked before anything is loaded.
     *
     * @throws InvalidInputException naming the option
     */
    DetectionConfig config() {
        try {
            return DetectionConfig.defaults().withThresholds(confidence, nms)
                    .withTopK(topK == null ? DetectionConfig.ALL : topK, keepTopK == null ? DetectionConfig.ALL : keepTopK)
                    .withBucketMultiple(sizeBucket);
        } catch (InvalidInputException e) {
            String option = switch (e.field()) {
                case "confidence_threshold" -> "--confidence";
                case "nms_threshold" -> "--nms";
                case "top_k" -> "--top-k";
                case "keep_top_k" -> "--keep-top-k";
                case "bucket_multiple" -> "--size-bucket";
                default -> e.field();
            };
            throw new InvalidInputException(option, e.reason(), e);
        }
    }

    PixelBudget budget() {
        if (maxPixels < 1) {
            throw new InvalidInputException("--max-pixels", "must be at least 1, got " + maxPixels);
        }
        return new PixelBudget(maxPixels);
    }

    /**
     * The weights file; no default location is searched, so a run never picks up some other file.
     *
     * @throws InvalidInputException naming --detector when it is missing or not a file
     */
    Path weights() {
        if (detector == null) {
            throw new InvalidInputException("--detector", "RetinaFace weights are required; " + RELEASED_WEIGHTS);
        }
        if (!Files.isRegularFile(detector)) {
            throw new InvalidInputException("--detector", "no such file: " + detector + " (" + RELEASED_WEIGHTS + ")");
        }
        return detector;
    }

    /** Checks every option (so bad ones are refused before any input is read). */
    void check() {
        config();
        budget();
        weights();
    }

    /** RetinaFace on {@code backend} (which stays the caller's) with these settings. */
    FaceFinder load(Backend backend) throws IOException {
        return FaceFinder.load(weights(), backend, config());
    }
}
