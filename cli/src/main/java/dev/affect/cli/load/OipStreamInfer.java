package dev.affect.cli.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.inference.ModelStreamInferResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code inference.GRPCInferenceService/ModelStreamInfer} call: {@code streamCallCount}
 * ModelInferRequests, each one FP32 [1,3,112,112] tensor in raw_input_contents (little-endian).
 *
 * <p>The call moves bytes (requests are serialized once per frame before the clock starts for it,
 * responses parsed only for error_message), so the measurement excludes message building. A response
 * with an error_message counts as a failed frame;
 * sending is bounded like {@link dev.affect.client.FrameStream}: at most {@link #MAX_IN_FLIGHT}
 * unanswered requests, and only while the call is ready.
 */
final class OipStreamInfer {
    static final String METHOD = "inference.GRPCInferenceService/ModelStreamInfer";
    static final int MAX_IN_FLIGHT = 32;

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> MODEL_STREAM_INFER = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName(METHOD)
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private OipStreamInfer() {
    }

    static void call(Channel channel, LoadOptions options, List<float[]> tensors, long callIndex, BooleanSupplier stop,
            LoadReport report) throws InterruptedException {
        int count = options.streamCallCount();
        long t0 = System.nanoTime();
        Object lock = new Object();
        ArrayDeque<Long> sentAt = new ArrayDeque<>();
        CountDownLatch done = new CountDownLatch(1);
        Status[] outcome = new Status[1];
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<byte[]>[] requests = new ClientCallStreamObserver[1];
        ClientResponseObserver<byte[], byte[]> responses = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
                requests[0] = requestStream;
                requestStream.setOnReadyHandler(() -> {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                });
            }

            @Override
            public void onNext(byte[] response) {
                long now = System.nanoTime();
                Long sent;
                synchronized (lock) {
                    sent = sentAt.pollFirst();
                    lock.notifyAll();
                }
                String error = errorMessage(response);
                report.frame(sent == null ? -1 : now - sent, error.isEmpty() ? null : error);
            }

            @Override
            public void onError(Throwable t) {
                outcome[0] = Status.fromThrowable(t);
                synchronized (lock) {
                    lock.notifyAll();
                }
                done.countDown();
            }

            @Override
            public void onCompleted() {
                outcome[0] = Status.OK;
                done.countDown();
            }
        };
        ClientCalls.asyncBidiStreamingCall(channel.newCall(MODEL_STREAM_INFER, CallOptions.DEFAULT
                .withDeadlineAfter(options.callTimeout().toNanos(), TimeUnit.NANOSECONDS)), responses);
        ClientCallStreamObserver<byte[]> out = requests[0];
        long period = options.fps() > 0 ? (long) (1e9 / options.fps()) : 0;
        try {
            for (int k = 0; k < count && !stop.getAsBoolean() && done.getCount() > 0; k++) {
                if (period > 0) {
                    LoadRunner.sleepUntil(t0 + k * period);
                }
                byte[] request = request(options.model(), options.inputName(), callIndex + "-" + k,
                        tensors.get((int) Math.floorMod(callIndex * count + k, (long) tensors.size())));
                synchronized (lock) {
                    while (done.getCount() > 0 && (!out.isReady() || sentAt.size() >= MAX_IN_FLIGHT)) {
                        lock.wait(50);
                    }
                    if (done.getCount() == 0) {
                        break;
                    }
                    sentAt.addLast(System.nanoTime());
                    out.onNext(request);
                }
            }
            synchronized (lock) {
                if (done.getCount() > 0) {
                    out.onCompleted();
                }
            }
            if (!done.await(options.callTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS)) {
                out.cancel("no end of stream in time", null);
                report.call(System.nanoTime() - t0, "DEADLINE_EXCEEDED", "DEADLINE_EXCEEDED: no end of stream in time");
                return;
            }
        } catch (InterruptedException e) {
            out.cancel("interrupted", e);
            throw e;
        }
        Status s = outcome[0];
        long lat = System.nanoTime() - t0;
        report.call(lat, s.getCode().name(), s.isOk() ? null
                : s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription()));
    }

    /** A serialized ModelInferRequest with one FP32 [1,3,112,112] input in raw_input_contents (little-endian). */
    static byte[] request(String model, String inputName, String id, float[] chw) {
        ByteBuffer raw = ByteBuffer.allocate(chw.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(chw);
        return ModelInferRequest.newBuilder().setModelName(model).setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(inputName).setDatatype("FP32")
                        .addAllShape(List.of(1L, 3L, 112L, 112L)))
                .addRawInputContents(ByteString.copyFrom(raw.array())).build().toByteArray();
    }

    /** ModelStreamInferResponse.error_message, empty when the request succeeded. */
    static String errorMessage(byte[] response) {
        try {
            return ModelStreamInferResponse.parseFrom(response).getErrorMessage();
        } catch (InvalidProtocolBufferException e) {
            return "unparsable ModelStreamInferResponse: " + e.getMessage();
        }
    }
}
