package dev.affect.server.jobs;

/** No job of that id (gRPC NOT_FOUND). */
public final class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(String id) {
        super("no job '" + id + "' on this server");
    }
}
