package dev.affect.cli;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.affect.proto.v1.ActionUnits;
import dev.affect.proto.v1.Affect;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Expression;
import dev.affect.proto.v1.FrameError;
import dev.affect.proto.v1.FramePrediction;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionStarted;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.proto.v1.ValenceArousal;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback (real port) stand-in for the server, following the protos' contracts: Stream (pipeline
 * "missing" is NOT_FOUND; an image starting with 'B' gets a FrameError), Predict (pipeline "busy" is
 * RESOURCE_EXHAUSTED) and the OIP's ModelStreamInfer (one response per request; model "bad" answers
 * with error_message).
 */
final class FakeAffectServer implements AutoCloseable {
    final AtomicInteger streams = new AtomicInteger();
    final List<String> resumes = new CopyOnWriteArrayList<>();
    final List<Integer> rawInputSizes = new CopyOnWriteArrayList<>();
    final Server server;

    FakeAffectServer() throws IOException {
        server = ServerBuilder.forPort(0).addService(new FakeAffect()).addService(inference()).build().start();
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    final class FakeAffect extends AffectServiceGrpc.AffectServiceImplBase {
        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            if (request.getModel().equals("busy")) {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("queue full").asRuntimeException());
                return;
            }
            PredictResponse.Builder b = PredictResponse.newBuilder();
            request.getFramesList().forEach(f -> b.addPredictions(FramePrediction.newBuilder().setExpression("Happy")));
            out.onNext(b.build());
            out.onCompleted();
        }

        @Override
        public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> out) {
            streams.incrementAndGet();
            return new StreamObserver<>() {
                boolean closed;

                @Override
                public void onNext(StreamRequest r) {
                    if (closed) {
                        return;
                    }
                    switch (r.getKindCase()) {
                        case OPEN -> {
                            resumes.add(r.getOpen().getResume());
                            if (r.getOpen().getPipeline().equals("missing")) {
                                closed = true;
                                out.onError(Status.NOT_FOUND.withDescription("pipeline 'missing' is not loaded")
                                        .asRuntimeException());
                                return;
                            }
                            String id = r.getOpen().getResume().isEmpty() ? "sess-42" : r.getOpen().getResume();
                            out.onNext(StreamResponse.newBuilder().setStarted(SessionStarted.newBuilder()
                                    .setSessionId(id).setResumed(!r.getOpen().getResume().isEmpty())).build());
                        }
                        case FRAME -> {
                            var f = r.getFrame();
                            FrameResult.Builder res = FrameResult.newBuilder().setSequence(f.getSequence())
                                    .setTimestampUs(f.getTimestampUs()).setServerLatencyUs(2500).setBatchSize(1);
                            if (!f.getImage().isEmpty() && f.getImage().byteAt(0) == 'B') {
                                res.setError(FrameError.newBuilder().setCode(3).setMessage("frame.image: not a JPEG or PNG image"));
                            } else {
                                res.setAffect(Affect.newBuilder()
                                        .setVa(ValenceArousal.newBuilder().setValence(0.25f).setArousal(-0.5f))
                                        .setExpression(Expression.newBuilder().setTop("Happiness").setTopIndex(4))
                                        .setActionUnits(ActionUnits.newBuilder().addActive("AU6").addActive("AU12")));
                            }
                            out.onNext(StreamResponse.newBuilder().setResult(res).build());
                        }
                        case END -> {
                            closed = true;
                            out.onNext(StreamResponse.newBuilder().setEvent(SessionEvent.newBuilder()
                                    .setKind(SessionEvent.Kind.ENDED)).build());
                            out.onCompleted();
                        }
                        default -> {
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    if (!closed) {
                        closed = true;
                        out.onCompleted();
                    }
                }
            };
        }
    }

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

    /** GRPCInferenceService with only ModelStreamInfer, read by field number. */
    private ServerServiceDefinition inference() {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName("inference.GRPCInferenceService/ModelStreamInfer")
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        return ServerServiceDefinition.builder("inference.GRPCInferenceService")
                .addMethod(method, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] request) {
                        String model = "";
                        try {
                            CodedInputStream in = CodedInputStream.newInstance(request);
                            int tag;
                            while ((tag = in.readTag()) != 0) {
                                int field = WireFormat.getTagFieldNumber(tag);
                                if (field == 1) {
                                    model = in.readString();
                                } else if (field == 7) {
                                    rawInputSizes.add(in.readByteArray().length);
                                } else {
                                    in.skipField(tag);
                                }
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        // ModelStreamInferResponse: error_message (1) for model "bad", else an empty infer_response (2)
                        byte[] response = model.equals("bad")
                                ? new byte[] {0x0A, 3, 'b', 'a', 'd'}
                                : new byte[] {0x12, 0};
                        out.onNext(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .build();
    }
}
