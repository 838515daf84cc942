package dev.affect.server.grpc;

import dev.affect.proto.v1.JobEvent;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.JobWatch;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WatchJob call: the watch's buffered events are written only while the call is ready (so a
 * slow client's events wait in the watch's bounded buffer, and the job thread never waits), on the
 * shared response executor, one drain at a time.
 */
final class JobEventSender {
    private final ServerCallStreamObserver<JobEvent> call;
    private final Executor executor;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile JobWatch watch;
    private boolean done; // guarded by this

    JobEventSender(ServerCallStreamObserver<JobEvent> call, Executor executor) {
        this.call = call;
        this.executor = executor;
    }

    /**
     * Starts watching; handlers are set before the service method returns, as grpc-java requires.
     *
     * @throws dev.affect.server.jobs.JobNotFoundException for an unknown id
     */
    void start(JobManager manager, String id) {
        call.setOnReadyHandler(this::schedule);
        call.setOnCancelHandler(() -> {
            JobWatch w = watch;
            if (w != null) {
                w.close();
            }
        });
        watch = manager.watch(id, this::schedule);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        JobWatch w = watch;
        synchronized (this) {
            if (done || w == null || call.isCancelled()) {
                return;
            }
            while (call.isReady()) {
                dev.affect.server.jobs.JobEvent e = w.poll();
                if (e == null) {
                    return;
                }
                call.onNext(JobProtoMapping.toProto(e));
                if (e.last()) {
                    done = true;
                    call.onCompleted();
                    return;
                }
            }
        }
    }
}
