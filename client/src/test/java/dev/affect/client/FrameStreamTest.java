package dev.affect.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.proto.v1.StreamRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FrameStream against an in-process stand-in of AffectService.Stream: order, flow control, resume, end, errors. */
class FrameStreamTest {
    static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};

    FakeStreamService fake;
    Server server;
    AffectClient client;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeStreamService();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(fake).build().start();
        client = AffectClient.builder().channel(InProcessChannelBuilder.forName(name).build())
                .defaultTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.shutdown();
        server.shutdownNow();
    }

    @Test
    void resultsComeBackInSendOrderThroughTheIterator() throws Exception {
        FrameStream stream = client.openStream(StreamOptions.pipeline("p").withTasks(Set.of(Task.VA, Task.AU)));
        SessionInfo session = stream.awaitStarted(Duration.ofSeconds(5));
        assertEquals("s-1", session.sessionId());
        assertFalse(session.resumed());
        assertEquals(Set.of(Task.VA, Task.AU), session.tasks());
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    stream.send(IMAGE, 100 + i, i * 33_333L);
                }
                stream.end();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Long> sequences = new ArrayList<>();
        stream.results().forEachRemaining(r -> {
            sequences.add(r.sequence());
            assertEquals(r.sequence() / 100f, r.affect().va().valence());
            assertEquals(1234, r.serverLatencyUs());
            assertTrue(r.latencyNanos() > 0);
        });
        sender.join();
        assertEquals(20, sequences.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(100 + i, sequences.get(i));
        }
        assertTrue(stream.isDone());
        assertNull(stream.take(Duration.ofMillis(10)));
        assertEquals(SessionEvent.Kind.ENDED, stream.events().getLast().kind());
        StreamRequest open = fake.received.getFirst();
        assertEquals("p", open.getOpen().getPipeline());
        assertEquals(StreamRequest.KindCase.END, fake.received.getLast().getKindCase());
    }

    @Test
    void theListenerSeesStartResultsEventAndCompletionInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        FrameStream stream = client.openStream(StreamOptions.defaults(), new StreamListener() {
            @Override
            public void onStarted(SessionInfo session) {
                seen.add("started " + session.sessionId());
            }

            @Override
            public void onResult(StreamResult result) {
                seen.add(result.isError() ? "error " + result.sequence() + " " + result.errorCode()
                        : "result " + result.sequence());
            }

            @Override
            public void onEvent(SessionEvent event) {
                seen.add("event " + event.kind());
            }

            @Override
            public void onCompleted() {
                seen.add("completed");
                done.countDown();
            }
        });
        stream.send(IMAGE, 1, 0);
        stream.send(new byte[0], 2, 0);
        stream.send(IMAGE, 3, 0);
        stream.end();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("started s-1", "result 1", "error 2 3", "result 3", "event ENDED", "completed"), seen);
        assertThrows(IllegalStateException.class, () -> stream.take(Duration.ZERO));
    }

    @Test
    void aSlowServerSlowsTheSenderAndFramesInFlightStayBounded() throws Exception {
        fake.delayMillis = 15;
        int bound = 3;
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        FrameStream stream = client.openStream(StreamOptions.defaults().withMaxInFlight(bound), new StreamListener() {
            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        long t0 = System.nanoTime();
        int frames = 30;
        for (int i = 0; i < frames; i++) {
            stream.send(IMAGE, i, 0);
            maxInFlight.accumulateAndGet(stream.inFlight(), Math::max);
        }
        long sendMillis = (System.nanoTime() - t0) / 1_000_000;
        stream.end();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(maxInFlight.get() <= bound, "in flight " + maxInFlight.get());
        assertTrue(fake.maxUnanswered.get() <= bound, "server saw " + fake.maxUnanswered.get() + " unanswered");
        // the sender could not run ahead: it waited for all but the last `bound` answers
        assertTrue(sendMillis >= (frames - bound - 1) * fake.delayMillis, "sent in " + sendMillis + " ms");
        assertEquals(frames, fake.framesAnswered.get());
    }

    @Test
    void trySendRefusesInsteadOfBufferingWhileTheServerIsStuck() throws Exception {
        fake.release = new CountDownLatch(1);
        FrameStream stream = client.openStream(StreamOptions.defaults().withMaxInFlight(4));
        assertNotNull(stream.awaitStarted(Duration.ofSeconds(5)));
        // the first frame waits for the call to be ready (a fresh call may not be yet); then trySend never waits
        assertTrue(stream.send(FrameStream.imageFrame(IMAGE, 0, 0), Duration.ofSeconds(5)), "the call never became ready");
        int accepted = 1;
        for (int i = 1; i < 50; i++) {
            if (stream.trySend(IMAGE, i, 0)) {
                accepted++;
            }
        }
        assertTrue(accepted >= 1 && accepted <= 4, "accepted " + accepted);
        assertFalse(stream.send(FrameStream.imageFrame(IMAGE, 99, 0), Duration.ofMillis(50)));
        fake.release.countDown();
        for (int i = 0; i < accepted; i++) {
            assertEquals(i, stream.take(Duration.ofSeconds(5)).sequence());
        }
        stream.end();
        assertNull(stream.take(Duration.ofSeconds(5)));
        assertTrue(stream.isDone());
    }

    @Test
    void resumeSendsTheSessionId() throws Exception {
        FrameStream stream = client.openStream(StreamOptions.defaults().withResume("abc"));
        SessionInfo session = stream.awaitStarted(Duration.ofSeconds(5));
        assertEquals("abc", session.sessionId());
        assertTrue(session.resumed());
        assertEquals("abc", fake.received.getFirst().getOpen().getResume());
        stream.halfClose();
        assertTrue(stream.awaitCompletion(Duration.ofSeconds(5)));
        assertEquals(1, fake.received.size(), "half-close sends no end");
    }

    @Test
    void aRefusedResumeIsATypedNotFound() throws Exception {
        FrameStream stream = client.openStream(StreamOptions.defaults().withResume("gone"));
        AffectClientException e = assertThrows(AffectClientException.class, () -> stream.awaitStarted(Duration.ofSeconds(5)));
        assertInstanceOf(AffectClientException.NotFound.class, e);
        assertEquals(Status.Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("gone"), e.getMessage());
        assertThrows(AffectClientException.NotFound.class, () -> stream.send(IMAGE, 1, 0));
        assertThrows(AffectClientException.NotFound.class, () -> stream.take(Duration.ofSeconds(1)));
    }

    @Test
    void closeCancelsAnUnfinishedStream() throws Exception {
        fake.release = new CountDownLatch(1);
        FrameStream stream = client.openStream(StreamOptions.defaults());
        stream.awaitStarted(Duration.ofSeconds(5));
        stream.send(IMAGE, 1, 0);
        stream.close();
        AffectClientException e = assertThrows(AffectClientException.class,
                () -> stream.awaitCompletion(Duration.ofSeconds(5)));
        assertEquals(Status.Code.CANCELLED, e.code());
    }
}
