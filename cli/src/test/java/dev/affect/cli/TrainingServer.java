package dev.affect.cli;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.jobs.HeadJobRunner;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.repository.DemoPipeline;
import dev.affect.server.repository.PipelineLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * A real server on a free port for the {@code affect jobs} tests: the demo pipeline, and training
 * jobs (heads on the reference backend) over the data root {@code data}, kept in {@code jobs}.
 */
final class TrainingServer implements AutoCloseable {
    private final Backend backend;
    private final ServerMain server;
    final String target;

    private TrainingServer(Backend backend, ServerMain server, String target) {
        this.backend = backend;
        this.server = server;
        this.target = target;
    }

    static TrainingServer start(Path data, Path jobs) throws Exception {
        Backend backend = Backends.open("auto", new BackendOptions(0));
        try {
            PipelineRegistry registry = new PipelineRegistry();
            registry.register(DemoPipeline.create(new PipelineLoader(backend, Ddamfn.Options.serving())));
            TrainingSetup training = new TrainingSetup(List.of(data), jobs,
                    HeadJobRunner.of(jobs, () -> Backends.open("auto", new BackendOptions(0)), "reference"),
                    JobManager.Settings.defaults());
            ServerMain server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), registry, null,
                    training);
            return new TrainingServer(backend, server, "localhost:" + server.start());
        } catch (Exception | Error e) {
            backend.close();
            throw e;
        }
    }

    /** {@code affect jobs <args> --target <this server>}. */
    CliRun jobs(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "jobs";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--target";
        all[args.length + 2] = target;
        return CliRun.of(all);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            backend.close();
        }
    }
}
