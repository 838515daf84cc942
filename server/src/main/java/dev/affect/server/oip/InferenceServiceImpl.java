package dev.affect.server.oip;

import dev.affect.proto.inference.GRPCInferenceServiceGrpc;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.inference.ModelInferResponse;
import dev.affect.proto.inference.ModelMetadataRequest;
import dev.affect.proto.inference.ModelMetadataResponse;
import dev.affect.proto.inference.ModelReadyRequest;
import dev.affect.proto.inference.ModelReadyResponse;
import dev.affect.proto.inference.ModelStatisticsRequest;
import dev.affect.proto.inference.ModelStatisticsResponse;
import dev.affect.proto.inference.ModelStreamInferResponse;
import dev.affect.proto.inference.RepositoryIndexRequest;
import dev.affect.proto.inference.RepositoryIndexResponse;
import dev.affect.proto.inference.RepositoryModelLoadRequest;
import dev.affect.proto.inference.RepositoryModelLoadResponse;
import dev.affect.proto.inference.RepositoryModelUnloadRequest;
import dev.affect.proto.inference.RepositoryModelUnloadResponse;
import dev.affect.proto.inference.ServerLiveRequest;
import dev.affect.proto.inference.ServerLiveResponse;
import dev.affect.proto.inference.ServerMetadataRequest;
import dev.affect.proto.inference.ServerMetadataResponse;
import dev.affect.proto.inference.ServerReadyRequest;
import dev.affect.proto.inference.ServerReadyResponse;
import dev.affect.server.face.FaceService;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.InferenceModel;
import dev.affect.server.pipeline.PipelineRegistry;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code inference.GRPCInferenceService}, the Open Inference Protocol (KServe v2) as Triton serves
 * it, over the models of a {@link PipelineRegistry} (see {@link OipInference} for the models, their
 * tensors and the sequence rules). Stock clients (tritonclient.grpc) work unchanged.
 *
 * <p>Thin: each RPC decodes, calls {@link OipInference} and maps the result; inference runs on the
 * service's own bounded executor, and a full one answers RESOURCE_EXHAUSTED. Extensions advertised:
 * {@code sequence}, {@code sequence(string_id)}, {@code binary_tensor_data} (raw contents in and
 * out) and {@code statistics}. Repository: RepositoryIndex lists the models and RepositoryModelUnload
 * unloads a pipeline or standalone head; RepositoryModelLoad answers UNIMPLEMENTED (load with
 * affect.v1.ModelService.LoadModel), so {@code model_repository} is not advertised. ModelConfig,
 * shared memory, trace and log settings are not served (UNIMPLEMENTED).
 *
 * <p>With a {@link FaceService}, the model {@code retinaface} finds and aligns the faces of one image
 * (see {@link FaceModel}); without one it is not listed and, like any unknown model, NOT_FOUND.
 *
 * <p>Close it after the server has shut down: it stops its executor and frees live sequences.
 */
public final class InferenceServiceImpl extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase
        implements AutoCloseable {
    static final String SERVER_NAME = "affect";
    static final List<String> EXTENSIONS = List.of("sequence", "sequence(string_id)", "binary_tensor_data", "statistics");

    private final PipelineRegistry registry;
    private final OipInference inference;
    private final int streamInFlight;

    public InferenceServiceImpl(PipelineRegistry registry, ServerMetrics metrics) {
        this(registry, metrics, OipOptions.defaults());
    }

    public InferenceServiceImpl(PipelineRegistry registry, ServerMetrics metrics, OipOptions options) {
        this(registry, metrics, options, null, 0);
    }

    /** As {@link #InferenceServiceImpl(PipelineRegistry, ServerMetrics, OipOptions, FaceService, long)} with the default options. */
    public InferenceServiceImpl(PipelineRegistry registry, ServerMetrics metrics, FaceService faces, long maxImagePixels) {
        this(registry, metrics, OipOptions.defaults(), faces, maxImagePixels);
    }

    /**
     * With the model {@code retinaface} over {@code faces} (null: no face model; the service never
     * closes it), refusing images of more than {@code maxImagePixels} pixels.
     */
    public InferenceServiceImpl(PipelineRegistry registry, ServerMetrics metrics, OipOptions options, FaceService faces,
            long maxImagePixels) {
        this.registry = registry;
        this.inference = new OipInference(registry, metrics, options,
                faces == null ? null : new FaceModel(faces, maxImagePixels));
        this.streamInFlight = options.streamInFlight();
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
        answer(responses, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> responses) {
        answer(responses, () -> ServerReadyResponse.newBuilder()
                .setReady(inference.servesFaces() || inference.models().stream().anyMatch(OipInference::ready)).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> responses) {
        answer(responses, () -> {
            if (inference.isFaceModel(request.getName(), request.getVersion())) {
                return ModelReadyResponse.newBuilder().setReady(true).build();
            }
            InferenceModel m = inference.model(request.getName(), request.getVersion());
            return ModelReadyResponse.newBuilder().setReady(OipInference.ready(m)).build();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> responses) {
        answer(responses, () -> ServerMetadataResponse.newBuilder().setName(SERVER_NAME).setVersion(version())
                .addAllExtensions(EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> responses) {
        answer(responses, () -> {
            if (inference.isFaceModel(request.getName(), request.getVersion())) {
                ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(FaceModel.NAME)
                        .addVersions(OipInference.VERSION).setPlatform(FaceModel.PLATFORM);
                FaceModel.INPUTS.forEach(t -> b.addInputs(metadata(t)));
                FaceModel.OUTPUTS.forEach(t -> b.addOutputs(metadata(t)));
                return b.build();
            }
            InferenceModel m = inference.model(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addVersions(OipInference.VERSION).setPlatform(OipInference.platform(m));
            OipInference.inputs(m).forEach(t -> b.addInputs(metadata(t)));
            OipInference.outputs(m).forEach(t -> b.addOutputs(metadata(t)));
            return b.build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
        inference.submit(request).whenComplete((response, error) -> {
            if (error != null) {
                responses.onError(OipErrors.toStatus(error));
            } else {
                responses.onNext(response);
                responses.onCompleted();
            }
        });
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> responses) {
        return new InferStream(inference, (ServerCallStreamObserver<ModelStreamInferResponse>) responses, streamInFlight);
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> responses) {
        answer(responses, () -> {
            ModelStatisticsResponse.Builder b = ModelStatisticsResponse.newBuilder();
            if (request.getName().isEmpty()) {
                inference.modelNames().forEach(m -> b.addModelStats(inference.statistics(m)));
            } else if (inference.isFaceModel(request.getName(), request.getVersion())) {
                b.addModelStats(inference.statistics(FaceModel.NAME));
            } else {
                b.addModelStats(inference.statistics(inference.model(request.getName(), request.getVersion())));
            }
            return b.build();
        });
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> responses) {
        answer(responses, () -> {
            RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
            if (inference.servesFaces()) {
                b.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(FaceModel.NAME)
                        .setVersion(OipInference.VERSION).setState("READY").setReason(""));
            }
            for (InferenceModel m : inference.models()) {
                if (inference.servesFaces() && m.name().equals(FaceModel.NAME)) {
                    continue; // shadowed by the face model
                }
                boolean ready = OipInference.ready(m);
                if (request.getReady() && !ready) {
                    continue;
                }
                b.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(m.name())
                        .setVersion(OipInference.VERSION).setState(ready ? "READY" : "UNAVAILABLE")
                        .setReason(ready ? "" : "unloading"));
            }
            return b.build();
        });
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request,
            StreamObserver<RepositoryModelLoadResponse> responses) {
        responses.onError(Status.UNIMPLEMENTED.withDescription("models are loaded with affect.v1.ModelService.LoadModel"
                + " (or at server start); this server has no Triton model repository").asRuntimeException());
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request,
            StreamObserver<RepositoryModelUnloadResponse> responses) {
        answer(responses, () -> {
            String name = request.getModelName();
            if (inference.isFaceModel(name, "")) {
                throw Status.FAILED_PRECONDITION.withDescription("model '" + name + "' is the server's face detector"
                        + " (serve --detector); it is not unloaded through the repository").asRuntimeException();
            }
            InferenceModel m = inference.model(name, "");
            if (m instanceof InferenceModel.HeadModel && m.owner() != null) {
                throw Status.FAILED_PRECONDITION.withDescription("model '" + name + "' is a head of pipeline '"
                        + m.owner().name() + "'; unload the pipeline '" + m.owner().name() + "'").asRuntimeException();
            }
            registry.unload(name);
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    /** Stops the executor (running requests finish) and frees every live sequence. */
    @Override
    public void close() {
        inference.close();
    }

    private static ModelMetadataResponse.TensorMetadata metadata(TensorSpec t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name()).setDatatype(t.datatype());
        for (long d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }

    private static String version() {
        String v = InferenceServiceImpl.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    /** Cheap RPCs answer on the calling thread: nothing there computes. */
    private static <T> void answer(StreamObserver<T> responses, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (RuntimeException e) {
            responses.onError(OipErrors.toStatus(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }
}
