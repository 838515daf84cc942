package dev.affect.engine.training.run;

import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.data.WindowBatch;
import dev.affect.engine.training.optim.LearningRate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A per-frame linear head for testing the run loop without the training core: z = W x + b, the
 * task's activation, the task's loss over unmasked rows (VA squared error on tanh, EXPR softmax
 * cross-entropy, AU sigmoid cross-entropy), SGD with momentum (state that a checkpoint must carry).
 * Deterministic: plain loops in a fixed order.
 */
class LinearTestHead implements TrainableHead {
    private static final float MOMENTUM = 0.9f;
    private final RunConfig config;
    private final LearningRate rate;
    private final int d;
    private final int n;
    private float[] w;
    private float[] b;
    private float[] vw;
    private float[] vb;
    private long steps;

    LinearTestHead(RunConfig config, int inputWidth, LearningRate rate) {
        this.config = config;
        this.rate = rate;
        this.d = inputWidth;
        this.n = switch (config.task()) {
            case VA -> 2;
            case EXPR -> 8;
            case AU -> 12;
        };
        SplittableRandom rng = new SplittableRandom(config.seed());
        w = new float[n * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) / Math.sqrt(d));
        }
        b = new float[n];
        vw = new float[n * d];
        vb = new float[n];
    }

    @Override
    public double step(WindowBatch batch) {
        double lr = rate.at(steps + 1);
        float[] x = batch.embeddings().toFloatArray();
        float[] mask = batch.mask();
        int valid = batch.validRows();
        float[] gw = new float[w.length];
        float[] gb = new float[n];
        double loss = 0;
        for (int r = 0; r < batch.rows(); r++) {
            if (mask[r] == 0) {
                continue;
            }
            float[] z = raw(x, r);
            float[] dz = new float[n];
            loss += lossAndGrad(z, batch.labels(), r * batch.labelWidth(), dz);
            for (int o = 0; o < n; o++) {
                float g = dz[o] / valid;
                gb[o] += g;
                for (int j = 0; j < d; j++) {
                    gw[o * d + j] += g * x[r * d + j];
                }
            }
        }
        for (int i = 0; i < w.length; i++) {
            vw[i] = MOMENTUM * vw[i] + gw[i];
            w[i] -= (float) (lr * vw[i]);
        }
        for (int o = 0; o < n; o++) {
            vb[o] = MOMENTUM * vb[o] + gb[o];
            b[o] -= (float) (lr * vb[o]);
        }
        steps++;
        return loss / valid;
    }

    private float[] raw(float[] x, int r) {
        float[] z = new float[n];
        for (int o = 0; o < n; o++) {
            float s = b[o];
            for (int j = 0; j < d; j++) {
                s += w[o * d + j] * x[r * d + j];
            }
            z[o] = s;
        }
        return z;
    }

    private double lossAndGrad(float[] z, float[] labels, int at, float[] dz) {
        double loss = 0;
        switch (config.task()) {
            case VA -> {
                for (int o = 0; o < 2; o++) {
                    float p = (float) Math.tanh(z[o]);
                    float e = p - labels[at + o];
                    loss += e * e;
                    dz[o] = 2 * e * (1 - p * p);
                }
            }
            case EXPR -> {
                float[] p = softmax(z);
                int y = (int) labels[at];
                loss = -Math.log(Math.max(1e-12, p[y]));
                for (int o = 0; o < n; o++) {
                    dz[o] = p[o] - (o == y ? 1 : 0);
                }
            }
            case AU -> {
                for (int o = 0; o < n; o++) {
                    float p = (float) (1 / (1 + Math.exp(-z[o])));
                    float y = labels[at + o];
                    loss += -(y * Math.log(Math.max(1e-12, p)) + (1 - y) * Math.log(Math.max(1e-12, 1 - p))) / n;
                    dz[o] = (p - y) / n;
                }
            }
        }
        return loss;
    }

    private static float[] softmax(float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        float[] p = new float[z.length];
        float sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = (float) Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Override
    public float[] predict(WindowBatch batch) {
        float[] x = batch.embeddings().toFloatArray();
        float[] out = new float[batch.rows() * n];
        for (int r = 0; r < batch.rows(); r++) {
            float[] z = raw(x, r);
            float[] v = switch (config.task()) {
                case VA -> new float[] {(float) Math.tanh(z[0]), (float) Math.tanh(z[1])};
                case EXPR -> softmax(z);
                case AU -> {
                    for (int o = 0; o < n; o++) {
                        z[o] = (float) (1 / (1 + Math.exp(-z[o])));
                    }
                    yield z;
                }
            };
            System.arraycopy(v, 0, out, r * n, n);
        }
        return out;
    }

    @Override
    public StateDict weights() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("linear.weight", Tensor.of(w.clone(), n, d));
        m.put("linear.bias", Tensor.of(b.clone(), n));
        return new StateDict(m);
    }

    @Override
    public StateDict optimizerState() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("momentum.linear.weight", Tensor.of(vw.clone(), n, d));
        m.put("momentum.linear.bias", Tensor.of(vb.clone(), n));
        m.put("steps", Tensor.ofLongs(new long[] {steps}, 1));
        return new StateDict(m);
    }

    @Override
    public void restore(StateDict weights, StateDict optimizerState) {
        w = weights.get("linear.weight").toFloatArray();
        b = weights.get("linear.bias").toFloatArray();
        vw = optimizerState.get("momentum.linear.weight").toFloatArray();
        vb = optimizerState.get("momentum.linear.bias").toFloatArray();
        steps = optimizerState.get("steps").getLong(0);
    }

    @Override
    public void close() {
    }
}
