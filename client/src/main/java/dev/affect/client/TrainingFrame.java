package dev.affect.client;

import com.google.protobuf.ByteString;
import dev.affect.proto.v1.DataSplit;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.FrameLabel;
import dev.affect.proto.v1.LabelledFrame;
import java.util.Objects;

/**
 * One labelled frame of an upload that a training job trains on ({@link AffectClient#startJob(
 * dev.affect.proto.v1.JobSpec, java.util.Iterator)}).
 *
 * @param frame the video, the encoded JPEG or PNG crop (unset for a frame without a face) and the label
 * @param split the video's split; required on a video's first frame, may be unspecified on later ones
 * @param index the frame's 1-based index in its video, increasing; 0 = the one after the previous frame
 */
public record TrainingFrame(LabelledFrame frame, DataSplit split, int index) {
    public TrainingFrame {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(split, "split");
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
    }

    /**
     * A frame from its parts.
     *
     * @param image an encoded JPEG or PNG face crop, or null for a frame without a face
     */
    public static TrainingFrame of(String video, DataSplit split, int index, byte[] image, FrameLabel label) {
        LabelledFrame.Builder f = LabelledFrame.newBuilder().setVideo(Objects.requireNonNull(video, "video"))
                .setLabel(Objects.requireNonNull(label, "label"));
        if (image != null) {
            f.setFrame(Frame.newBuilder().setImage(ByteString.copyFrom(image)));
        }
        return new TrainingFrame(f.build(), split, index);
    }
}
