package dev.affect.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How every ONNX Runtime side of scripts/bench runs the peer, so the DDAMFN and RetinaFace
 * comparisons configure and describe it alike: all graph optimisations, {@code threads} intra-op
 * threads, one inter-op thread.
 */
final class OrtPeer {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private OrtPeer() {
    }

    /** The --threads option of an ONNX Runtime side. */
    static BenchOption threadsOption() {
        return new BenchOption("threads", "N", String.valueOf(CPUS), "the number of CPUs (" + CPUS + " here)",
                "Intra-op threads.");
    }

    /** Session options the caller closes. */
    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        try {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            return opts;
        } catch (OrtException | RuntimeException e) {
            opts.close();
            throw e;
        }
    }

    /** The "description" the JSON of a side carries. */
    static String description(OrtEnvironment env, int threads) {
        return "ONNX Runtime " + env.getVersion() + ", ALL_OPT, " + threads + " intra-op threads";
    }
}
