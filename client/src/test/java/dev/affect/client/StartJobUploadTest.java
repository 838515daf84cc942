package dev.affect.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.proto.v1.DataSplit;
import dev.affect.proto.v1.FrameLabel;
import dev.affect.proto.v1.Job;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.JobState;
import dev.affect.proto.v1.StartJobStreamRequest;
import dev.affect.proto.v1.TrainingServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * AffectClient.startJob(spec, frames) against a stand-in TrainingService that asks for messages by
 * hand: the SDK sends only what the server asked for (it blocks instead of buffering), stops when the
 * server answers, and cancels the call when the frames' iterator fails.
 */
class StartJobUploadTest {
    static final JobSpec SPEC = JobSpec.newBuilder().setTask(dev.affect.proto.v1.Task.TASK_VA)
            .setBackbone("ddamfn.pth").build();

    /** Asks for one message at start, then only when the test says; answers when the test says. */
    static final class GatedTraining extends TrainingServiceGrpc.TrainingServiceImplBase {
        final List<StartJobStreamRequest> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<ServerCallStreamObserver<Job>> call = new CompletableFuture<>();
        final CompletableFuture<Throwable> clientError = new CompletableFuture<>();
        final boolean answerOnHalfClose;

        GatedTraining(boolean answerOnHalfClose) {
            this.answerOnHalfClose = answerOnHalfClose;
        }

        @Override
        public StreamObserver<StartJobStreamRequest> startJobStream(StreamObserver<Job> out) {
            ServerCallStreamObserver<Job> c = (ServerCallStreamObserver<Job>) out;
            c.disableAutoRequest();
            c.request(1);
            call.complete(c);
            return new StreamObserver<>() {
                @Override
                public void onNext(StartJobStreamRequest r) {
                    received.add(r);
                    if (answerOnHalfClose) {
                        c.request(1);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    clientError.complete(t);
                }

                @Override
                public void onCompleted() {
                    c.onNext(Job.newBuilder().setId("job-1").setState(JobState.PENDING).build());
                    c.onCompleted();
                }
            };
        }
    }

    static TrainingFrame frame(int k) {
        return TrainingFrame.of("video" + (k / 10), k % 10 == 0 ? DataSplit.DATA_SPLIT_TRAIN
                : DataSplit.DATA_SPLIT_UNSPECIFIED, k % 10 + 1, new byte[64 * 1024], FrameLabel.newBuilder()
                .setExpression(k % 8).build());
    }

    /** Endless frames, counting how many were taken. */
    static Iterator<TrainingFrame> endless(AtomicInteger taken) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public TrainingFrame next() {
                return frame(taken.getAndIncrement());
            }
        };
    }

    static void awaitReceived(GatedTraining service, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (service.received.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, service.received.size());
    }

    @Test
    void framesGoOnlyAsTheServerAsksAndTheServersAnswerStopsTheUpload() throws Exception {
        GatedTraining service = new GatedTraining(false);
        try (InProcessAffect affect = InProcessAffect.start(service)) {
            AtomicInteger taken = new AtomicInteger();
            CompletableFuture<JobInfo> upload = CompletableFuture.supplyAsync(
                    () -> affect.client.startJob(SPEC, endless(taken)));
            awaitReceived(service, 1);
            assertTrue(service.received.getFirst().hasStart());
            Thread.sleep(300);
            assertTrue(taken.get() <= 1, "nothing asked for, at most one frame waits in hand; took " + taken.get());
            ServerCallStreamObserver<Job> call = service.call.get(5, TimeUnit.SECONDS);
            call.request(3);
            awaitReceived(service, 4);
            Thread.sleep(300);
            assertTrue(taken.get() <= 4, "three asked for, three sent and one in hand; took " + taken.get());
            assertEquals(3, service.received.get(3).getIndex());
            assertEquals("video0", service.received.get(3).getFrame().getVideo());

            call.onError(Status.INVALID_ARGUMENT.withDescription("frames[2].video: refused").asRuntimeException());
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> upload.get(5, TimeUnit.SECONDS));
            AffectClientException.InvalidArgument refused = (AffectClientException.InvalidArgument) e.getCause();
            assertTrue(refused.getMessage().contains("frames[2].video"), refused.getMessage());
            int after = taken.get();
            Thread.sleep(100);
            assertEquals(after, taken.get(), "no frame is taken once the server has answered");
        }
    }

    @Test
    void allFramesArriveInOrderWithSplitAndIndexAndTheJobIsTheAnswer() throws Exception {
        GatedTraining service = new GatedTraining(true);
        try (InProcessAffect affect = InProcessAffect.start(service)) {
            List<TrainingFrame> frames = java.util.stream.IntStream.range(0, 25).mapToObj(StartJobUploadTest::frame)
                    .toList();
            JobInfo job = affect.client.startJob(SPEC, frames.stream());
            assertEquals("job-1", job.id());
            assertEquals(26, service.received.size());
            assertEquals(SPEC, service.received.getFirst().getStart().getSpec());
            for (int k = 0; k < frames.size(); k++) {
                StartJobStreamRequest r = service.received.get(k + 1);
                assertSame(StartJobStreamRequest.KindCase.FRAME, r.getKindCase());
                assertEquals(frames.get(k).frame(), r.getFrame());
                assertEquals(frames.get(k).split(), r.getSplit());
                assertEquals(k % 10 + 1, r.getIndex());
            }
        }
    }

    @Test
    void aFailingIteratorCancelsTheCall() throws Exception {
        GatedTraining service = new GatedTraining(true);
        try (InProcessAffect affect = InProcessAffect.start(service)) {
            AtomicInteger taken = new AtomicInteger();
            Iterator<TrainingFrame> failing = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public TrainingFrame next() {
                    if (taken.incrementAndGet() > 3) {
                        throw new IllegalStateException("disk gone");
                    }
                    return frame(taken.get());
                }
            };
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> affect.client.startJob(SPEC, failing));
            assertEquals("disk gone", e.getMessage());
            Throwable seen = service.clientError.get(5, TimeUnit.SECONDS);
            assertEquals(Status.Code.CANCELLED, Status.fromThrowable(seen).getCode(), "the server hears of it");
            assertEquals(4, service.received.size(), "start and three frames");
        }
    }
}
