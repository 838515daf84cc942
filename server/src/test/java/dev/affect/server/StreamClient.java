package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.SessionEnd;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.SessionStarted;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.proto.v1.Tensor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The client side of one AffectService.Stream call: every response in order, and how it ended. */
final class StreamClient implements StreamObserver<StreamResponse> {
    final LinkedBlockingQueue<StreamResponse> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final StreamObserver<StreamRequest> requests;

    StreamClient(AffectServiceGrpc.AffectServiceStub stub) {
        requests = stub.stream(this);
    }

    @Override
    public void onNext(StreamResponse value) {
        responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    StreamResponse next() throws InterruptedException {
        StreamResponse r = responses.poll(60, TimeUnit.SECONDS);
        assertTrue(r != null, "no response in 60 s; ended " + end.getNow(null));
        return r;
    }

    Status status() throws Exception {
        return end.get(60, TimeUnit.SECONDS);
    }

    /** Sends {@code open} without waiting for its answer. */
    StreamClient send(SessionOpen open) {
        requests.onNext(StreamRequest.newBuilder().setOpen(open).build());
        return this;
    }

    /** Sends {@code open} and returns the SessionStarted it is answered with. */
    SessionStarted open(SessionOpen open) throws InterruptedException {
        StreamResponse r = send(open).next();
        assertTrue(r.hasStarted(), "expected started, got " + r + "; ended " + end.getNow(null));
        return r.getStarted();
    }

    StreamClient frame(StreamFrame.Builder frame) {
        requests.onNext(StreamRequest.newBuilder().setFrame(frame).build());
        return this;
    }

    StreamClient frame(long seq, ByteString image) {
        return frame(StreamFrame.newBuilder().setSequence(seq).setTimestampUs(seq * 10).setImage(image));
    }

    void end() {
        requests.onNext(StreamRequest.newBuilder().setEnd(SessionEnd.getDefaultInstance()).build());
    }

    /** The next {@code n} responses, each a FrameResult. */
    List<FrameResult> results(int n) throws InterruptedException {
        List<FrameResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamResponse r = next();
            assertTrue(r.hasResult(), "expected a result, got " + r);
            out.add(r.getResult());
        }
        return out;
    }

    /** Skips results until an event arrives; that event. */
    SessionEvent nextEvent() throws InterruptedException {
        while (true) {
            StreamResponse r = next();
            if (r.hasEvent()) {
                return r.getEvent();
            }
            assertTrue(r.hasResult(), r.toString());
        }
    }

    void assertEvent(SessionEvent.Kind kind, String sessionId) throws InterruptedException {
        SessionEvent e = nextEvent();
        assertEquals(kind, e.getKind(), e.toString());
        assertEquals(sessionId, e.getSessionId());
    }

    static Tensor rawTensor(float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return Tensor.newBuilder().addAllShape(List.of(3L, 112L, 112L)).setRawContents(ByteString.copyFrom(raw.array())).build();
    }

    static Tensor fp32Tensor(float[] values) {
        Tensor.Builder b = Tensor.newBuilder().addAllShape(List.of(3L, 112L, 112L));
        for (float v : values) {
            b.addFp32Contents(v);
        }
        return b.build();
    }
}
