package dev.affect.server.repository;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.demo.DemoWeights;
import dev.affect.engine.model.heads.Task;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import java.util.EnumMap;
import java.util.Map;

/**
 * The pipeline a server runs when it has no real one: generated DDAMFN weights and an LSTM head per
 * task, so that a fresh install answers every RPC end to end. Its outputs mean nothing; it says so in
 * its description, in the log and with {@code demo=true}.
 */
public final class DemoPipeline {
    private static final System.Logger LOG = System.getLogger(DemoPipeline.class.getName());

    public static final String NAME = "demo";
    /** Fixed, so that every demo server gives the same (meaningless) answers. */

    private DemoPipeline() {
    }

    /** Builds the demo pipeline (backbone and VA, EXPR, AU LSTM heads) with the loader's backend and options. */
    public static ServedPipeline create(PipelineLoader loader) {
        Map<Task, StateDict> heads = new EnumMap<>(Task.class);
        for (Task task : Task.values()) {
            heads.put(task, DemoWeights.lstmHead(task));
        }
        ServedPipeline demo = loader.create(NAME, DemoWeights.ddamfn(), heads, DemoWeights.NOTICE, true);
        LOG.log(System.Logger.Level.WARNING, "serving the demo pipeline ''{0}'': {1}", NAME, DemoWeights.NOTICE);
        return demo;
    }

    /**
     * Registers the demo pipeline when the registry holds no pipeline (standalone heads do not count).
     *
     * @return whether it did
     */
    public static boolean registerIfEmpty(PipelineRegistry registry, PipelineLoader loader) {
        if (!registry.list().isEmpty()) {
            return false;
        }
        ModelRepository.register(registry, create(loader));
        return true;
    }
}
