package dev.affect.server.pipeline;

import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;

/**
 * One model as the Open Inference Protocol sees it: a pipeline's backbone (named as the pipeline) or
 * one of its heads (named {@code <pipeline>.<head key>}), or a head loaded on its own.
 *
 * <p>{@code owner} is the pipeline whose reference keeps the model open: acquire it for the
 * duration of a call. A standalone head has no owner and lives until the registry closes.
 */
public sealed interface InferenceModel {
    String name();

    /** The pipeline that owns the model, or null for a standalone head. */
    ServedPipeline owner();

    /** A DDAMFN backbone: input [N,3,112,112] FP32, outputs logits and embedding. */
    record BackboneModel(String name, Ddamfn backbone, ServedPipeline owner) implements InferenceModel {
    }

    /** An FC or LSTM head: input embedding [N,512] FP32. */
    record HeadModel(String name, Head head, ServedPipeline owner) implements InferenceModel {
    }
}
