package dev.affect.report;

import dev.affect.engine.metrics.AuMetrics;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.metrics.VaMetrics;
import dev.affect.engine.model.heads.Task;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reports of a made-up evaluation: labels drawn at random, predictions that agree with them partly,
 * scored with the engine's metrics (so the numbers are real scores of that data) and a short history.
 */
final class SampleReports {
    private SampleReports() {
    }

    static ReportData evaluation(int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] pred = new float[2 * frames];
        float[] truth = new float[2 * frames];
        for (int i = 0; i < 2 * frames; i++) {
            truth[i] = (float) Math.tanh(r.nextGaussian() * 0.5);
            pred[i] = (float) Math.clamp(0.6 * truth[i] + 0.3 * r.nextGaussian(), -1, 1);
        }
        long[] exprPred = new long[frames];
        long[] exprTruth = new long[frames];
        for (int i = 0; i < frames; i++) {
            exprTruth[i] = r.nextInt(ExprMetrics.NUM_CLASSES);
            exprPred[i] = r.nextDouble() < 0.6 ? exprTruth[i] : r.nextInt(ExprMetrics.NUM_CLASSES);
        }
        int aus = Task.AU.outputSize();
        double[] auProb = new double[frames * aus];
        long[] auTruth = new long[frames * aus];
        for (int i = 0; i < frames * aus; i++) {
            auTruth[i] = r.nextDouble() < 0.3 ? 1 : 0;
            auProb[i] = Math.clamp(0.35 * auTruth[i] + 0.3 * r.nextDouble() + 0.1 * r.nextGaussian(), 0, 1);
        }
        return ReportData.titled("Evaluation of a made-up model")
                .withContext("split", "validation")
                .withContext("pipeline", "demo")
                .withVa(VaScores.of(VaMetrics.ofRows(pred, truth)))
                .withVaPoints(VaPoints.ofRows(pred, truth))
                .withExpr(ExprScores.of(ExprMetrics.of(exprPred, exprTruth)))
                .withAu(AuScores.of(AuMetrics.of(auProb, auTruth, aus)))
                .withHistory(history());
    }

    static TrainingHistory history() {
        int steps = 300;
        double[] step = new double[steps];
        double[] loss = new double[steps];
        for (int i = 0; i < steps; i++) {
            step[i] = i + 1;
            loss[i] = 2.0 * Math.exp(-i / 80.0) + 0.3 + 0.05 * Math.sin(i);
        }
        return new TrainingHistory(List.of(
                new TrainingSeries("train loss", "step", step, loss),
                new TrainingSeries("validation P_VA", "epoch", new double[] {1, 2, 3, 4}, new double[] {0.2, 0.31, 0.36, 0.38}),
                new TrainingSeries("validation EXPR F1", "epoch", new double[] {1, 2, 3, 4}, new double[] {0.1, 0.2, 0.24, 0.27})));
    }
}
