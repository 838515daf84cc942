package dev.affect.client;

import com.google.protobuf.ByteString;
import dev.affect.proto.v1.SessionEnd;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.SessionOptions;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.proto.v1.Tensor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One video stream (one AffectService.Stream call): frames go out with {@link #send}, results come
 * back in send order, either to a {@link StreamListener} or, without one, through {@link #take} and
 * {@link #results()}.
 *
 * <p>Flow control both ways. Sending: {@code send} blocks (and {@code trySend} returns false) while
 * gRPC says the call is not ready or {@link StreamOptions#maxInFlight()} frames are unanswered, so
 * a sender faster than the server is slowed instead of buffering without bound. Receiving: the
 * next result is requested only when the listener returns or the caller takes one; with
 * {@link #take}, send and take from different threads (or interleave them), since a server whose
 * results are not read stops reading frames.
 *
 * <p>Thread-safe: one thread may send while another takes. {@link #close()} cancels an unfinished call.
 */
public final class FrameStream implements AutoCloseable {
    private static final Object COMPLETED = new Object();

    private final StreamListener listener;
    private final int maxInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Send times (System.nanoTime) of unanswered frames, oldest first; guarded by lock. */
    private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
    /** Iterator mode: at most one result (we request one per take) plus the end marker. */
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CountDownLatch startedLatch = new CountDownLatch(1);
    private final CountDownLatch doneLatch = new CountDownLatch(1);
    private final List<SessionEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ClientCallStreamObserver<StreamRequest> call; // guarded by lock for every use
    private boolean halfClosed; // guarded by lock
    private volatile boolean done;
    private volatile AffectClientException error;
    private volatile SessionInfo session;
    private boolean inboxDrained; // taker thread only

    FrameStream(StreamListener listener, int maxInFlight) {
        this.listener = listener;
        this.maxInFlight = maxInFlight;
    }

    /** The observer handed to the stub; {@code beforeStart} sets up manual flow control. */
    ClientResponseObserver<StreamRequest, StreamResponse> observer() {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamRequest> requestStream) {
                call = requestStream;
                requestStream.disableAutoRequestWithInitial(1);
                requestStream.setOnReadyHandler(FrameStream.this::signal);
            }

            @Override
            public void onNext(StreamResponse response) {
                receive(response);
            }

            @Override
            public void onError(Throwable t) {
                finish(AffectClientException.of(t));
            }

            @Override
            public void onCompleted() {
                finish(null);
            }
        };
    }

    /** Sends the open message; called once right after the call starts. */
    void open(StreamOptions options) {
        SessionOpen.Builder open = SessionOpen.newBuilder().setPipeline(options.pipeline()).setResume(options.resume())
                .setOptions(SessionOptions.newBuilder().setAuThreshold(options.auThreshold())
                        .putAllAuThresholds(options.auThresholds()).setSmoothingWindow(options.smoothingWindow())
                        .setFace(options.face().proto()).setEveryFace(options.everyFace())
                        .setMaxFaces(options.maxFaces()));
        EnumSet<Task> tasks = EnumSet.noneOf(Task.class);
        tasks.addAll(options.tasks());
        for (Task t : tasks) {
            open.addTasks(t.proto());
        }
        lock.lock();
        try {
            call.onNext(StreamRequest.newBuilder().setOpen(open).build());
        } finally {
            lock.unlock();
        }
    }

    // ---- sending ----

    /** Sends an encoded JPEG/PNG frame, blocking while the call is not ready or the in-flight bound is reached. */
    public void send(byte[] image, long sequence, long timestampUs) throws InterruptedException {
        send(imageFrame(image, sequence, timestampUs));
    }

    /** Sends a frame already resized and normalised: float32 [3, 112, 112], CHW. Blocks like {@link #send(byte[], long, long)}. */
    public void sendTensor(float[] chw, long sequence, long timestampUs) throws InterruptedException {
        send(tensorFrame(chw, sequence, timestampUs));
    }

    /** Sends a frame, blocking until the call can take it; throws the stream's error if it failed. */
    public void send(StreamFrame frame) throws InterruptedException {
        offer(frame, Long.MAX_VALUE);
    }

    /** As {@link #send(StreamFrame)}, waiting at most {@code timeout}; false when it could not send in time. */
    public boolean send(StreamFrame frame, Duration timeout) throws InterruptedException {
        return offer(frame, Math.max(0, timeout.toNanos()));
    }

    /** Sends only if the call is ready and under the in-flight bound now; false otherwise (nothing buffered). */
    public boolean trySend(StreamFrame frame) {
        try {
            return offer(frame, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #trySend(StreamFrame)} for an encoded image. */
    public boolean trySend(byte[] image, long sequence, long timestampUs) {
        return trySend(imageFrame(image, sequence, timestampUs));
    }

    private boolean offer(StreamFrame frame, long timeoutNanos) throws InterruptedException {
        StreamRequest request = StreamRequest.newBuilder().setFrame(frame).build();
        long deadline = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 4);
        lock.lockInterruptibly();
        try {
            while (true) {
                throwIfFinished();
                if (halfClosed) {
                    throw new IllegalStateException("the stream was ended; no more frames can be sent");
                }
                if (call.isReady() && sentAt.size() < maxInFlight) {
                    sentAt.addLast(System.nanoTime());
                    call.onNext(request);
                    return true;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                // onReady and each result signal; the cap re-checks isReady() in case a signal raced the check
                changed.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session: the server answers the frames in flight, frees the state, and completes the stream. */
    public void end() {
        lock.lock();
        try {
            if (halfClosed || done) {
                return;
            }
            call.onNext(StreamRequest.newBuilder().setEnd(SessionEnd.getDefaultInstance()).build());
            call.onCompleted();
            halfClosed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending without ending the session, which stays resumable for its idle window. */
    public void halfClose() {
        lock.lock();
        try {
            if (halfClosed || done) {
                return;
            }
            call.onCompleted();
            halfClosed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the call if it has not finished (the session stays resumable); a no-op after it finished. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!done) {
                call.cancel("client closed the stream", null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Frames sent and not yet answered. */
    public int inFlight() {
        lock.lock();
        try {
            return sentAt.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- receiving ----

    /**
     * The next result, waiting at most {@code timeout}: null on timeout or when the stream completed and
     * every result was taken ({@link #isDone()} tells which). Throws the stream's error once its results
     * are taken. Only for a stream opened without a listener.
     */
    public StreamResult take(Duration timeout) throws InterruptedException {
        requireIteratorMode();
        if (inboxDrained) {
            return endOfResults();
        }
        Object next = inbox.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (next == null) {
            return null;
        }
        if (next == COMPLETED) {
            inboxDrained = true;
            return endOfResults();
        }
        request(1);
        return (StreamResult) next;
    }

    /** Blocking iteration over the results until the stream completes; throws the stream's error at the end. */
    public Iterator<StreamResult> results() {
        requireIteratorMode();
        return new Iterator<>() {
            private StreamResult next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    while (next == null && !inboxDrained) {
                        next = take(Duration.ofSeconds(1));
                    }
                    if (next == null) {
                        endOfResults();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw AffectClientException.of(Status.CANCELLED.withDescription("interrupted"), e);
                }
                return next != null;
            }

            @Override
            public StreamResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                StreamResult r = next;
                next = null;
                return r;
            }
        };
    }

    /** The session, waiting at most {@code timeout} for the server's answer to open (null on timeout); throws if the stream failed first. */
    public SessionInfo awaitStarted(Duration timeout) throws InterruptedException {
        if (!startedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        if (session == null) {
            throw error != null ? error : AffectClientException.of(Status.INTERNAL
                    .withDescription("the stream completed without starting a session"), null);
        }
        return session;
    }

    /** The session id, or null before the server answered open. */
    public String sessionId() {
        SessionInfo s = session;
        return s == null ? null : s.sessionId();
    }

    /** Waits for the server to close the stream; false on timeout. Throws the stream's error. */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        if (!doneLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        if (error != null) {
            throw error;
        }
        return true;
    }

    /** True once the server closed the stream (OK or not). */
    public boolean isDone() {
        return done;
    }

    /** The error the stream ended with, or null. */
    public AffectClientException error() {
        return error;
    }

    /** The session events received so far. */
    public List<SessionEvent> events() {
        return List.copyOf(events);
    }

    // ---- internals ----

    private void receive(StreamResponse response) {
        switch (response.getKindCase()) {
            case STARTED -> {
                var s = response.getStarted();
                EnumSet<Task> tasks = EnumSet.noneOf(Task.class);
                for (var t : s.getTasksList()) {
                    if (t != dev.affect.proto.v1.Task.TASK_UNSPECIFIED && t != dev.affect.proto.v1.Task.UNRECOGNIZED) {
                        tasks.add(Task.of(t));
                    }
                }
                session = new SessionInfo(s.getSessionId(), s.getResumed(), s.getPipeline(), tasks, s.getIdleTimeoutMs(),
                        s.getFramesAnswered());
                startedLatch.countDown();
                if (listener != null) {
                    listener.onStarted(session);
                }
                request(1);
            }
            case EVENT -> {
                SessionEvent e = SessionEvent.of(response.getEvent());
                events.add(e);
                if (listener != null) {
                    listener.onEvent(e);
                }
                request(1);
            }
            case RESULT -> {
                StreamResult r = result(response.getResult());
                if (listener != null) {
                    listener.onResult(r);
                    request(1);
                } else {
                    inbox.add(r); // the taker requests the next one
                }
            }
            default -> request(1);
        }
    }

    private StreamResult result(dev.affect.proto.v1.FrameResult r) {
        long latency;
        lock.lock();
        try {
            Long sent = sentAt.pollFirst();
            latency = sent == null ? -1 : System.nanoTime() - sent;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean failed = r.hasError();
        return new StreamResult(r.getSequence(), r.getTimestampUs(), r.hasAffect() ? Affect.of(r.getAffect()) : null,
                failed ? r.getError().getCode() : 0, failed ? r.getError().getMessage() : "", r.getServerLatencyUs(),
                r.getBatchSize(), latency, r.hasFace() ? DetectedFace.of(r.getFace()) : null, r.getNoFace(),
                r.getFacesList().stream().map(f -> new StreamResult.FaceAffect(DetectedFace.of(f.getFace()),
                        Affect.of(f.getAffect()))).toList());
    }

    private void finish(AffectClientException failure) {
        lock.lock();
        try {
            error = failure;
            done = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        startedLatch.countDown();
        inbox.add(COMPLETED);
        doneLatch.countDown();
        if (listener != null) {
            if (failure != null) {
                listener.onError(failure);
            } else {
                listener.onCompleted();
            }
        }
    }

    private void request(int n) {
        lock.lock();
        try {
            if (!done) {
                call.request(n);
            }
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfFinished() {
        if (done) {
            throw error != null ? error
                    : new IllegalStateException("the stream has completed; no more frames can be sent");
        }
    }

    private StreamResult endOfResults() {
        if (error != null) {
            throw error;
        }
        return null;
    }

    private void requireIteratorMode() {
        if (listener != null) {
            throw new IllegalStateException("this stream delivers its results to its listener");
        }
    }

    static StreamFrame imageFrame(byte[] image, long sequence, long timestampUs) {
        return StreamFrame.newBuilder().setSequence(sequence).setTimestampUs(timestampUs)
                .setImage(ByteString.copyFrom(image)).build();
    }

    static StreamFrame tensorFrame(float[] chw, long sequence, long timestampUs) {
        ByteBuffer raw = ByteBuffer.allocate(chw.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(chw);
        return StreamFrame.newBuilder().setSequence(sequence).setTimestampUs(timestampUs)
                .setNormalized(Tensor.newBuilder().addShape(3).addShape(112).addShape(112)
                        .setRawContents(ByteString.copyFrom(raw.array())))
                .build();
    }
}
