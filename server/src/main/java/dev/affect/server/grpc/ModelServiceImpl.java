package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.DescribeModelRequest;
import dev.affect.proto.v1.ListModelsRequest;
import dev.affect.proto.v1.ListModelsResponse;
import dev.affect.proto.v1.LoadModelRequest;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.proto.v1.PipelineSpec;
import dev.affect.proto.v1.UnloadModelRequest;
import dev.affect.proto.v1.UnloadModelResponse;
import dev.affect.server.pipeline.NameTakenException;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.repository.MissingFileException;
import dev.affect.server.repository.ModelRepository;
import dev.affect.server.repository.PipelineFiles;
import dev.affect.server.schedule.ModelNotFoundException;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * affect.v1.ModelService over a {@link PipelineRegistry}, loading from a {@link ModelRepository}.
 *
 * <p>Loads run on one dedicated daemon thread, not on the calling gRPC executor: a load takes seconds
 * and allocates a model's worth of memory, so running them one at a time bounds that peak and keeps a
 * burst of LoadModel calls from occupying the handler threads Predict and Stream need. At most
 * {@link #MAX_QUEUED_LOADS} wait (beyond that RESOURCE_EXHAUSTED). A load whose caller has already
 * gone is skipped; one that finishes after its caller's deadline stays loaded. List, describe and
 * unload are quick and answer on the calling thread.
 */
public final class ModelServiceImpl extends ModelServiceGrpc.ModelServiceImplBase implements AutoCloseable {
    /** Loads waiting behind the running one before LoadModel answers RESOURCE_EXHAUSTED. */
    public static final int MAX_QUEUED_LOADS = 8;
    private static final int MAX_DESCRIPTION = 500;

    private final PipelineRegistry registry;
    private final ModelRepository repository;
    private final ThreadPoolExecutor loads = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED_LOADS), Thread.ofPlatform().name("affect-model-load-", 0).daemon(true).factory());

    /** Serves and loads pipelines; the repository's loader fixes the backend and options. */
    public ModelServiceImpl(PipelineRegistry registry, ModelRepository repository) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** Serves the registry's pipelines; LoadModel answers FAILED_PRECONDITION. */
    public ModelServiceImpl(PipelineRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.repository = null;
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
        answer(responses, () -> {
            ListModelsResponse.Builder b = ListModelsResponse.newBuilder().setDefaultModel(registry.defaultName());
            registry.list().forEach(p -> b.addModels(ProtoMapping.toModelInfo(p)));
            return b.build();
        });
    }

    /** An empty name describes the default pipeline. */
    @Override
    public void describeModel(DescribeModelRequest request, StreamObserver<ModelInfo> responses) {
        answer(responses, () -> ProtoMapping.toModelInfo(registry.resolve(request.getName())));
    }

    @Override
    public void loadModel(LoadModelRequest request, StreamObserver<ModelInfo> responses) {
        Context context = Context.current();
        try {
            String name = PipelineRegistry.checkName(request.getName(), "name");
            requireLoadable(name);
            loads.execute(() -> {
                if (context.isCancelled()) {
                    responses.onError(GrpcStatusMapper.cancelled(context).withDescription("LoadModel was cancelled before it ran")
                            .asRuntimeException());
                    return;
                }
                try {
                    answer(responses, () -> ProtoMapping.toModelInfo(load(name, request)));
                } catch (Error e) {
                    // e.g. out of memory mid-load: the caller still gets an answer
                    responses.onError(Status.INTERNAL.withDescription("loading '" + name + "' failed: " + e).asRuntimeException());
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            Status status = loads.isShutdown() ? Status.UNAVAILABLE.withDescription("the server is shutting down")
                    : Status.RESOURCE_EXHAUSTED.withDescription(MAX_QUEUED_LOADS + " model loads are already waiting; retry later");
            responses.onError(status.asRuntimeException());
        } catch (RuntimeException e) {
            responses.onError(toStatus(e));
        }
    }

    @Override
    public void unloadModel(UnloadModelRequest request, StreamObserver<UnloadModelResponse> responses) {
        answer(responses, () -> {
            registry.unload(PipelineRegistry.checkName(request.getName(), "name"));
            return UnloadModelResponse.getDefaultInstance();
        });
    }

    /** Stops taking loads; a running one finishes. Idempotent. */
    @Override
    public void close() {
        loads.shutdown();
    }

    /** Fails fast, before the queue, for what needs no loading to know. */
    private void requireLoadable(String name) {
        PipelineRegistry r = registry;
        if (repository == null) {
            throw Status.FAILED_PRECONDITION.withDescription("this server has no model repository").asRuntimeException();
        }
        if (r.inferenceModel(name).isPresent()) {
            throw new NameTakenException("a model named '" + name + "' is already loaded");
        }
    }

    private ServedPipeline load(String name, LoadModelRequest request) throws IOException {
        ServedPipeline p;
        if (request.hasSpec()) {
            PipelineFiles files = files(request.getSpec());
            p = repository.loader().load(name, files, "loaded from " + files.describe());
        } else {
            p = repository.load(name);
        }
        try {
            return registry.register(p);
        } catch (RuntimeException e) {
            p.retire();
            throw e;
        }
    }

    /** Relative paths resolve against the server's working directory. */
    private static PipelineFiles files(PipelineSpec spec) {
        if (spec.getBackbone().isBlank()) {
            throw new InvalidInputException("spec.backbone", "required: the DDAMFN checkpoint's path on the server");
        }
        Map<Task, Path> heads = new EnumMap<>(Task.class);
        putIfSet(heads, Task.VA, spec.getVaHead());
        putIfSet(heads, Task.EXPR, spec.getExprHead());
        putIfSet(heads, Task.AU, spec.getAuHead());
        return new PipelineFiles(Path.of(spec.getBackbone()).toAbsolutePath(), heads);
    }

    private static void putIfSet(Map<Task, Path> heads, Task task, String path) {
        if (!path.isBlank()) {
            heads.put(task, Path.of(path).toAbsolutePath());
        }
    }

    /**
     * This service's errors. The shared {@link GrpcStatusMapper} does not know the repository's
     * exceptions, so they are mapped here; the rest goes to it.
     */
    static StatusRuntimeException toStatus(Throwable e) {
        Status status = switch (e) {
            case NameTakenException x -> Status.ALREADY_EXISTS.withDescription(oneLine(x.getMessage()));
            case ModelNotFoundException x -> Status.NOT_FOUND.withDescription(oneLine(x.getMessage()));
            case MissingFileException x -> Status.NOT_FOUND.withDescription(oneLine(x.getMessage()));
            case InvalidInputException x -> Status.INVALID_ARGUMENT.withDescription(oneLine(x.getMessage()));
            case IOException x -> Status.INTERNAL.withDescription(oneLine("reading a checkpoint failed: " + x));
            default -> null;
        };
        return status == null ? GrpcStatusMapper.toStatus(e) : status.withCause(e).asRuntimeException();
    }

    /** Descriptions stay one line of bounded length; a key-mismatch report can be long. */
    private static String oneLine(String message) {
        String s = message.replace('\n', ' ').replace('\r', ' ').strip();
        return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION - 3) + "...";
    }

    /** Computes the one response, or the error; never both. */
    private static <T> void answer(StreamObserver<T> responses, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (IOException | RuntimeException e) {
            responses.onError(toStatus(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }
}
