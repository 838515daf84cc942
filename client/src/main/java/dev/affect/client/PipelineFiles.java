package dev.affect.client;

import java.util.Objects;

/**
 * Checkpoints on the server's file system for {@link AffectClient#loadModel(String, PipelineFiles)};
 * a head left empty is absent.
 */
public record PipelineFiles(String backbone, String vaHead, String exprHead, String auHead) {
    public PipelineFiles {
        Objects.requireNonNull(backbone, "backbone");
        vaHead = vaHead == null ? "" : vaHead;
        exprHead = exprHead == null ? "" : exprHead;
        auHead = auHead == null ? "" : auHead;
    }
}
