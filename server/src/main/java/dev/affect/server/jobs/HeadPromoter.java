package dev.affect.server.jobs;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.HeadOptions;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Puts a finished job's head into a serving pipeline through {@link PipelineRegistry#replace}: new
 * streams and requests get it, streams already open keep the head they started with.
 */
public final class HeadPromoter {
    private final PipelineRegistry registry;
    private final HeadOptions options;

    public HeadPromoter(PipelineRegistry registry, HeadOptions options) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Loads the job's head on the pipeline's backend and serves it in the pipeline.
     *
     * @param pipeline a loaded pipeline, or empty for the default one
     * @return the pipeline now serving
     * @throws JobPreconditionException when the job has not succeeded or trained a full fine-tune
     * @throws InvalidInputException    when the head does not fit the pipeline
     */
    public ServedPipeline promote(JobRecord job, String pipeline) throws IOException {
        if (job.state() != JobState.SUCCEEDED) {
            throw new JobPreconditionException("job " + job.id() + " is " + job.state() + "; only a SUCCEEDED job's head"
                    + " can be promoted");
        }
        if (job.spec().head() == HeadKind.FULL_FINE_TUNE) {
            throw new JobPreconditionException("job " + job.id() + " fine-tuned its own backbone; its head does not fit"
                    + " another pipeline's backbone (load it as a pipeline of its own)");
        }
        ServedPipeline target = registry.resolve(pipeline);
        Head head = Head.load(Path.of(job.status().headCheckpoint()), target.backbone().backend(), options);
        try {
            if (head.task().orElse(null) != job.spec().task()) {
                throw new InvalidInputException("id", "job " + job.id() + "'s checkpoint holds head '" + head.key()
                        + "', not a " + job.spec().task() + " head");
            }
            if (head.inputSize() != target.backbone().embeddingSize()) {
                throw new InvalidInputException("pipeline", "job " + job.id() + "'s head takes " + head.inputSize()
                        + "-d embeddings; pipeline '" + target.name() + "' gives " + target.backbone().embeddingSize());
            }
            return registry.replace(target.name(), old -> old.withHead(head, old.description() + "; "
                    + job.spec().task() + " head from job " + job.id()));
        } catch (RuntimeException e) {
            head.close();
            throw e;
        }
    }
}
