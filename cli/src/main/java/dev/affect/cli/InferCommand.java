package dev.affect.cli;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.io.NpyWriter;
import dev.affect.engine.model.Ddamfn;
import dev.affect.engine.model.DdamfnGraph;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs DDAMFN on images or a normalised array and writes logits, embeddings and probabilities. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run DDAMFN on a .npy (N,3,112,112), an image, or a folder of images.")
final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "DDAMFN weights: .pth/.pt (torch.save) or .safetensors.")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "A .npy already normalised, a .jpg/.png, or a folder of them.")
    Path input;

    @Option(names = "--out", required = true, description = "Folder for logits.npy, embedding.npy, probabilities.json.")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch", "must be at least 1, got " + batch);
        }
        backendChoice.check();
        InferInput in = InferInput.open(input);
        try (Backend backend = backendChoice.open(); Ddamfn model = BackendChoice.load(checkpoint, backend)) {
            int n = in.count();
            int classes = model.config().numClass();
            Tensor logits = Tensor.zeros(Shape.of(n, classes));
            Tensor embedding = Tensor.zeros(Shape.of(n, 512));
            List<String> outputs = List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING);
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                Plan plan = model.plan(end - start, outputs);
                in.fill(plan.input(DdamfnGraph.INPUT), start);
                plan.execute();
                logits.slice(start, end).copyFrom(plan.output(DdamfnGraph.LOGITS));
                embedding.slice(start, end).copyFrom(plan.output(DdamfnGraph.EMBEDDING));
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(in.name(i));
            }
            Files.createDirectories(out);
            NpyWriter.write(out.resolve("logits.npy"), logits);
            NpyWriter.write(out.resolve("embedding.npy"), embedding);
            ProbabilitiesJson.write(out.resolve("probabilities.json"), model.config().classNames(), names, logits);
            spec.commandLine().getOut().println("wrote " + n + " predictions to " + out + " (" + backend.description() + ")");
        }
        return 0;
    }
}
