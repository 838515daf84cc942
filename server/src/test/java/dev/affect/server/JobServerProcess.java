package dev.affect.server;

import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.PacedRunner;
import dev.affect.server.jobs.SyntheticJobData;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.server.pipeline.PipelineRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * A server run in a child JVM by {@link JobKillResumeTest}: no pipeline, one data root, a jobs folder
 * and the real head trainer, paced to {@code STEP_MS} per step so the test can kill it mid-epoch.
 * Prints {@code PORT <n>} once it listens.
 */
public final class JobServerProcess {
    static final long STEP_MS = 150;

    private JobServerProcess() {
    }

    /** @param args the data root and the jobs folder */
    public static void main(String[] args) throws Exception {
        TrainingSetup training = new TrainingSetup(List.of(Path.of(args[0])), Path.of(args[1]),
                new PacedRunner(SyntheticJobData.runner(Path.of(args[1])), STEP_MS), JobManager.Settings.defaults());
        ServerMain server = ServerMain.create(ServerConfig.defaults().withPort(0).withMetricsPort(-1), new PipelineRegistry(),
                null, training);
        int port = server.start();
        server.closeOnSignals();
        System.out.println("PORT " + port);
        System.out.flush();
        server.awaitTermination();
    }
}
