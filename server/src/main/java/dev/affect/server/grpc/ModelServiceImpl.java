package dev.affect.server.grpc;

import dev.affect.proto.v1.ListModelsRequest;
import dev.affect.proto.v1.ListModelsResponse;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.server.schedule.ModelRegistry;
import dev.affect.server.schedule.ServedModel;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/** affect.v1.ModelService: what the registry holds (a snapshot read; nothing to compute). */
public final class ModelServiceImpl extends ModelServiceGrpc.ModelServiceImplBase {
    private final ModelRegistry models;

    public ModelServiceImpl(ModelRegistry models) {
        this.models = Objects.requireNonNull(models, "models");
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
        ListModelsResponse response;
        try {
            ListModelsResponse.Builder b = ListModelsResponse.newBuilder().setDefaultModel(models.defaultName());
            for (ServedModel m : models.list()) {
                b.addModels(ProtoMapping.toModelInfo(m));
            }
            response = b.build();
        } catch (RuntimeException e) {
            responses.onError(GrpcStatusMapper.toStatus(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }
}
