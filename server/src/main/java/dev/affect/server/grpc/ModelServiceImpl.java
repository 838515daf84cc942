package dev.affect.server.grpc;

import dev.affect.proto.v1.DescribeModelRequest;
import dev.affect.proto.v1.ListModelsRequest;
import dev.affect.proto.v1.ListModelsResponse;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.proto.v1.UnloadModelRequest;
import dev.affect.proto.v1.UnloadModelResponse;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.ModelNotFoundException;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/** affect.v1.ModelService over the pipeline registry (LoadModel is not served yet: UNIMPLEMENTED). */
public final class ModelServiceImpl extends ModelServiceGrpc.ModelServiceImplBase {
    private final PipelineRegistry registry;

    public ModelServiceImpl(PipelineRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
        ListModelsResponse response;
        try {
            ListModelsResponse.Builder b = ListModelsResponse.newBuilder().setDefaultModel(registry.defaultName());
            for (ServedPipeline p : registry.list()) {
                b.addModels(ProtoMapping.toModelInfo(p));
            }
            response = b.build();
        } catch (RuntimeException e) {
            responses.onError(GrpcStatusMapper.toStatus(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    @Override
    public void describeModel(DescribeModelRequest request, StreamObserver<ModelInfo> responses) {
        ModelInfo info;
        try {
            if (request.getName().isEmpty()) {
                throw new ModelNotFoundException("name: give a pipeline name");
            }
            info = ProtoMapping.toModelInfo(registry.resolve(request.getName()));
        } catch (RuntimeException e) {
            responses.onError(GrpcStatusMapper.toStatus(e));
            return;
        }
        responses.onNext(info);
        responses.onCompleted();
    }

    @Override
    public void unloadModel(UnloadModelRequest request, StreamObserver<UnloadModelResponse> responses) {
        try {
            registry.unload(request.getName());
        } catch (RuntimeException e) {
            responses.onError(GrpcStatusMapper.toStatus(e));
            return;
        }
        responses.onNext(UnloadModelResponse.getDefaultInstance());
        responses.onCompleted();
    }
}
