package dev.affect.client;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Duration;

/** Stand-in services served in process (direct executor), and an AffectClient on them with a 5 s default timeout. */
final class InProcessAffect implements AutoCloseable {
    final Server server;
    final AffectClient client;

    private InProcessAffect(Server server, AffectClient client) {
        this.server = server;
        this.client = client;
    }

    static InProcessAffect start(BindableService... services) throws IOException {
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        for (BindableService service : services) {
            builder.addService(service);
        }
        Server server = builder.build().start();
        return new InProcessAffect(server,
                AffectClient.forChannel(InProcessChannelBuilder.forName(name).directExecutor().build(), Duration.ofSeconds(5)));
    }

    /** Closes the client, then shuts the server down now. */
    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
