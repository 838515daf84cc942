package dev.affect.client;

import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FrameError;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionStarted;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.proto.v1.ValenceArousal;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AffectService.Stream as the proto describes it: open first (resume of "gone" is NOT_FOUND), one
 * FrameResult per frame in order (an empty image gets FrameError INVALID_ARGUMENT), end answered
 * with ENDED then OK. Manual flow control: it reads the next message only after answering the last,
 * and answers each frame after {@code delayMillis} (or once {@link #release} opens, when held).
 */
final class FakeStreamService extends AffectServiceGrpc.AffectServiceImplBase {
    final List<StreamRequest> received = new CopyOnWriteArrayList<>();
    final AtomicInteger framesReceived = new AtomicInteger();
    final AtomicInteger framesAnswered = new AtomicInteger();
    final AtomicInteger maxUnanswered = new AtomicInteger();
    volatile long delayMillis;
    volatile CountDownLatch release = new CountDownLatch(0);
    private final ExecutorService answerer = Executors.newSingleThreadExecutor();

    void shutdown() {
        release.countDown();
        answerer.shutdownNow();
    }

    @Override
    public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> responses) {
        ServerCallStreamObserver<StreamResponse> out = (ServerCallStreamObserver<StreamResponse>) responses;
        out.disableAutoRequest();
        out.request(1);
        return new StreamObserver<>() {
            String sessionId;

            @Override
            public void onNext(StreamRequest request) {
                received.add(request);
                switch (request.getKindCase()) {
                    case OPEN -> {
                        String resume = request.getOpen().getResume();
                        if (resume.equals("gone")) {
                            out.onError(Status.NOT_FOUND.withDescription("session 'gone' is unknown or expired")
                                    .asRuntimeException());
                            return;
                        }
                        sessionId = resume.isEmpty() ? "s-1" : resume;
                        out.onNext(StreamResponse.newBuilder().setStarted(SessionStarted.newBuilder()
                                .setSessionId(sessionId).setResumed(!resume.isEmpty())
                                .setPipeline(request.getOpen().getPipeline())
                                .addAllTasks(request.getOpen().getTasksList()).setIdleTimeoutMs(30_000)).build());
                        out.request(1);
                    }
                    case FRAME -> {
                        int unanswered = framesReceived.incrementAndGet() - framesAnswered.get();
                        maxUnanswered.accumulateAndGet(unanswered, Math::max);
                        var frame = request.getFrame();
                        answerer.execute(() -> {
                            try {
                                release.await();
                                Thread.sleep(delayMillis);
                            } catch (InterruptedException e) {
                                return;
                            }
                            var result = dev.affect.proto.v1.FrameResult.newBuilder().setSequence(frame.getSequence())
                                    .setTimestampUs(frame.getTimestampUs()).setServerLatencyUs(1234).setBatchSize(1);
                            if (frame.getImage().isEmpty()) {
                                result.setError(FrameError.newBuilder().setCode(3)
                                        .setMessage("frame.image: not a JPEG or PNG image"));
                            } else {
                                float v = frame.getSequence() / 100f;
                                result.setAffect(dev.affect.proto.v1.Affect.newBuilder()
                                        .setVa(ValenceArousal.newBuilder().setValence(v).setArousal(-v)));
                            }
                            framesAnswered.incrementAndGet();
                            synchronized (out) {
                                out.onNext(StreamResponse.newBuilder().setResult(result).build());
                                out.request(1);
                            }
                        });
                    }
                    case END -> answerer.execute(() -> {
                        synchronized (out) {
                            out.onNext(StreamResponse.newBuilder().setEvent(SessionEvent.newBuilder()
                                    .setKind(SessionEvent.Kind.ENDED).setSessionId(sessionId)).build());
                            out.onCompleted();
                        }
                    });
                    default -> out.onError(Status.FAILED_PRECONDITION.withDescription("empty request").asRuntimeException());
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                // half-close without end: finish after the frames in flight
                answerer.execute(() -> {
                    synchronized (out) {
                        try {
                            out.onCompleted();
                        } catch (IllegalStateException alreadyClosed) {
                            // end already completed the call
                        }
                    }
                });
            }
        };
    }

    static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(10, TimeUnit.SECONDS);
    }
}
