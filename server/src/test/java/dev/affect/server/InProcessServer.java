package dev.affect.server;

import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.pipeline.PipelineRegistry;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;

/** A ServerMain started in process with {@code config} and {@code registry}, and a channel to it. */
final class InProcessServer implements AutoCloseable {
    final ServerMain server;
    final ManagedChannel channel;

    private InProcessServer(ServerMain server, ManagedChannel channel) {
        this.server = server;
        this.channel = channel;
    }

    static InProcessServer start(ServerConfig config, PipelineRegistry registry) throws IOException {
        return start(config, registry, null);
    }

    /** With a face detector for streams of camera frames (null: none); the server closes it. */
    static InProcessServer start(ServerConfig config, PipelineRegistry registry, dev.affect.server.face.FaceService faces)
            throws IOException {
        String name = InProcessServerBuilder.generateName();
        ServerMain server = ServerMain.create(config, registry, null, dev.affect.server.jobs.TrainingSetup.none(), faces,
                InProcessServerBuilder.forName(name));
        server.start();
        return new InProcessServer(server, InProcessChannelBuilder.forName(name).build());
    }

    /** Shuts the channel down (up to 5 s), then closes the server. */
    @Override
    public void close() throws InterruptedException {
        Fixtures.shutdown(channel, server);
    }
}
