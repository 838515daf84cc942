package dev.affect.report;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.metrics.ExprMetrics;
import dev.affect.engine.model.heads.Task;
import java.util.List;
import java.util.Optional;

/**
 * The expression scores of a set: macro F1 (the challenge metric), accuracy, F1 per class and, when
 * known, the confusion matrix (rows = true class, columns = predicted class, both in {@code classes} order).
 */
public record ExprScores(int nFrames, double f1Macro, double accuracy, List<String> classes, double[] perClassF1,
                         Optional<long[][]> confusionMatrix) {
    public ExprScores {
        classes = List.copyOf(classes);
        if (perClassF1.length != classes.size()) {
            throw new InvalidInputException("per_class_f1", perClassF1.length + " values for " + classes.size() + " classes");
        }
        if (confusionMatrix.isPresent()) {
            checkSquare(confusionMatrix.get(), classes.size());
        }
    }

    public static ExprScores of(ExprMetrics m) {
        return new ExprScores(m.nFrames(), m.f1Macro(), m.accuracy(), Task.EXPR.labels(), m.perClassF1(),
                Optional.of(m.confusionMatrix()));
    }

    private static void checkSquare(long[][] cm, int n) {
        if (cm.length != n) {
            throw new InvalidInputException("confusion_matrix", cm.length + " rows for " + n + " classes");
        }
        for (long[] row : cm) {
            if (row.length != n) {
                throw new InvalidInputException("confusion_matrix", "a row of " + row.length + " counts for " + n + " classes");
            }
            for (long c : row) {
                if (c < 0) {
                    throw new InvalidInputException("confusion_matrix", "negative count " + c);
                }
            }
        }
    }
}
