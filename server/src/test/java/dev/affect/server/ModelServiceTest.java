package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.DescribeModelRequest;
import dev.affect.proto.v1.ListModelsRequest;
import dev.affect.proto.v1.ListModelsResponse;
import dev.affect.proto.v1.LoadModelRequest;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.proto.v1.PipelineSpec;
import dev.affect.proto.v1.UnloadModelRequest;
import dev.affect.server.grpc.ModelServiceImpl;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.repository.ModelRepository;
import dev.affect.server.repository.PipelineFiles;
import dev.affect.server.repository.FixtureLoaderTest;
import dev.affect.server.repository.RepositoryFixtures;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** affect.v1.ModelService in-process, alone, over a temporary model repository of fixture checkpoints. */
class ModelServiceTest extends FixtureLoaderTest {

    @TempDir
    Path root;
    PipelineRegistry registry;
    ModelServiceImpl service;
    Server server;
    ManagedChannel channel;
    ModelServiceGrpc.ModelServiceBlockingStub stub;

    /** Starts the service alone; {@code repository} may be null (no repository). */
    private void start(ModelRepository repository) throws Exception {
        registry = new PipelineRegistry();
        service = repository == null ? new ModelServiceImpl(registry) : new ModelServiceImpl(registry, repository);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = ModelServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        Fixtures.shutdown(channel, server, 10);
        if (service != null) {
            service.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private ModelServiceGrpc.ModelServiceBlockingStub call() {
        return stub.withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    private static ModelInfo load(ModelServiceGrpc.ModelServiceBlockingStub s, String name) {
        return s.loadModel(LoadModelRequest.newBuilder().setName(name).build());
    }

    /** models/va/ holds the backbone and a VA head; models/broken/ names a file that is not there. */
    private ModelRepository repository() throws Exception {
        RepositoryFixtures.writePipeline(root, "va", "{\"backbone\": " + RepositoryFixtures.quoted(RepositoryFixtures.backbone())
                + ", \"heads\": {\"va\": " + RepositoryFixtures.quoted(RepositoryFixtures.vaHead()) + "},"
                + " \"description\": \"fixture backbone with a VA head\"}");
        RepositoryFixtures.writePipeline(root, "missingfile", "{\"backbone\": \"absent.pth\"}");
        RepositoryFixtures.writePipeline(root, "badjson", "{\"backbone\": ");
        return new ModelRepository(root, loader);
    }

    private static void assertStatus(Status.Code code, String descriptionPart, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(descriptionPart), e.getStatus().getDescription());
    }

    @Test
    void listsAndDescribesEveryField() throws Exception {
        start(null);
        registry.register(loader.load("ddamfn", new PipelineFiles(RepositoryFixtures.backbone(),
                Map.of(Task.VA, RepositoryFixtures.vaHead(), Task.AU, RepositoryFixtures.auHead())), "fixture pipeline"));

        ListModelsResponse list = call().listModels(ListModelsRequest.getDefaultInstance());
        assertEquals("ddamfn", list.getDefaultModel());
        assertEquals(1, list.getModelsCount());
        ModelInfo info = call().describeModel(DescribeModelRequest.newBuilder().setName("ddamfn").build());
        assertEquals(list.getModels(0), info);
        assertEquals("ddamfn", info.getName());
        assertEquals(8, info.getNumClass());
        assertEquals(2, info.getNumHead());
        assertEquals(8, info.getClassNamesCount());
        assertEquals(backend.name(), info.getBackend());
        assertEquals(List.of(dev.affect.proto.v1.Task.TASK_VA, dev.affect.proto.v1.Task.TASK_AU), info.getTasksList());
        assertEquals(2, info.getHeadsCount());
        assertTrue(info.getHeads(0).startsWith("va: LSTM(512->"), info.getHeads(0));
        assertTrue(info.getHeads(1).startsWith("au: LSTM(512->"), info.getHeads(1));
        assertEquals("fixture pipeline", info.getDescription());
        assertFalse(info.getDemo());
        assertEquals(info, call().describeModel(DescribeModelRequest.getDefaultInstance()), "empty name: the default");

        assertStatus(Status.Code.NOT_FOUND, "pipeline 'nope' is not loaded",
                () -> call().describeModel(DescribeModelRequest.newBuilder().setName("nope").build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "this server has no model repository", () -> load(call(), "ddamfn2"));
    }

    @Test
    void loadsFromTheRepositoryAndUnloads() throws Exception {
        start(repository());
        assertEquals(0, call().listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());

        ModelInfo info = load(call(), "va");
        assertEquals("va", info.getName());
        assertEquals(List.of(dev.affect.proto.v1.Task.TASK_VA), info.getTasksList());
        assertEquals("fixture backbone with a VA head", info.getDescription());
        assertEquals("va", call().listModels(ListModelsRequest.getDefaultInstance()).getDefaultModel());

        assertStatus(Status.Code.ALREADY_EXISTS, "'va' is already loaded", () -> load(call(), "va"));
        call().unloadModel(UnloadModelRequest.newBuilder().setName("va").build());
        assertEquals(0, call().listModels(ListModelsRequest.getDefaultInstance()).getModelsCount());
        assertStatus(Status.Code.NOT_FOUND, "model 'va' is not loaded",
                () -> call().unloadModel(UnloadModelRequest.newBuilder().setName("va").build()));
    }

    @Test
    void repositoryErrorsArePrecise() throws Exception {
        start(repository());
        assertStatus(Status.Code.NOT_FOUND, "no pipeline 'nope' in the model repository", () -> load(call(), "nope"));
        assertStatus(Status.Code.NOT_FOUND, "absent.pth: no such file (backbone)", () -> load(call(), "missingfile"));
        assertStatus(Status.Code.INVALID_ARGUMENT, "pipeline.json: not valid JSON", () -> load(call(), "badjson"));
        assertStatus(Status.Code.INVALID_ARGUMENT, "name: a model name must be", () -> load(call(), "../va"));
        assertStatus(Status.Code.INVALID_ARGUMENT, "name: a model name must be",
                () -> call().unloadModel(UnloadModelRequest.getDefaultInstance()));
        assertEquals(0, registry.list().size());
    }

    @Test
    void loadsAnExplicitSpec() throws Exception {
        start(repository());
        PipelineSpec spec = PipelineSpec.newBuilder()
                .setBackbone(RepositoryFixtures.backbone().toString())
                .setVaHead(RepositoryFixtures.vaHead().toString())
                .setExprHead(RepositoryFixtures.exprHead().toString())
                .setAuHead(RepositoryFixtures.auHead().toString())
                .build();
        ModelInfo info = call().loadModel(LoadModelRequest.newBuilder().setName("spec").setSpec(spec).build());
        assertEquals(List.of(dev.affect.proto.v1.Task.TASK_VA, dev.affect.proto.v1.Task.TASK_EXPR,
                dev.affect.proto.v1.Task.TASK_AU), info.getTasksList());
        assertTrue(info.getDescription().startsWith("loaded from backbone "), info.getDescription());

        PipelineSpec wrongSlot = spec.toBuilder().setExprHead(RepositoryFixtures.auHead().toString()).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, RepositoryFixtures.auHead().toAbsolutePath() + ": holds an AU head, given as the EXPR head",
                () -> call().loadModel(LoadModelRequest.newBuilder().setName("wrong").setSpec(wrongSlot).build()));
        PipelineSpec headAsBackbone = PipelineSpec.newBuilder().setBackbone(RepositoryFixtures.vaHead().toString()).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, "not a DDAMFN backbone",
                () -> call().loadModel(LoadModelRequest.newBuilder().setName("head").setSpec(headAsBackbone).build()));
        PipelineSpec noBackbone = PipelineSpec.newBuilder().setVaHead(RepositoryFixtures.vaHead().toString()).build();
        assertStatus(Status.Code.INVALID_ARGUMENT, "spec.backbone: required",
                () -> call().loadModel(LoadModelRequest.newBuilder().setName("none").setSpec(noBackbone).build()));
        PipelineSpec missing = spec.toBuilder().setAuHead(root.resolve("au.pth").toString()).build();
        assertStatus(Status.Code.NOT_FOUND, root.resolve("au.pth") + ": no such file (au head)",
                () -> call().loadModel(LoadModelRequest.newBuilder().setName("missing").setSpec(missing).build()));
        assertStatus(Status.Code.ALREADY_EXISTS, "'spec' is already loaded",
                () -> call().loadModel(LoadModelRequest.newBuilder().setName("spec").setSpec(spec).build()));
        assertEquals(List.of("spec"), registry.list().stream().map(p -> p.name()).toList());
    }
}
