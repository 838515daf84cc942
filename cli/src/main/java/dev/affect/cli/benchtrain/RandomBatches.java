package dev.affect.cli.benchtrain;

import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import java.util.Random;

/** The random inputs and targets a workload steps on (timing does not depend on their values). */
final class RandomBatches {
    private RandomBatches() {
    }

    static Tensor normal(Random rng, int... dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    static Tensor classes(Random rng, int frames, int classes) {
        long[] v = new long[frames];
        for (int i = 0; i < frames; i++) {
            v[i] = rng.nextInt(classes);
        }
        return Tensor.ofLongs(v, frames);
    }

    /** Labels for {@code frames} rows: VA in [-1, 1), EXPR classes, AU 0/1 with 30% positives. */
    static Tensor targets(Task task, Random rng, int frames) {
        if (task == Task.EXPR) {
            return classes(rng, frames, task.outputSize());
        }
        float[] v = new float[frames * task.outputSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = task == Task.VA ? (float) (rng.nextDouble() * 2 - 1) : rng.nextDouble() < 0.3 ? 1f : 0f;
        }
        return Tensor.of(v, frames, task.outputSize());
    }
}
