package dev.affect.cli;

import dev.affect.engine.data.abaw.AbawTask;
import dev.affect.report.HistoryJson;
import dev.affect.report.ReportData;
import dev.affect.report.ReportWriter;
import dev.affect.report.ScoresJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** A report rendered from files: scores JSON, optionally a training history and the VA prediction/annotation folders. */
final class ReportFiles {
    static final String DEFAULT_TITLE = "affect evaluation report";

    /** Where the per-frame VA values are: predictions written for a split and that split's annotations. */
    record VaFolders(Path predictions, Path annotations) {
    }

    private ReportFiles() {
    }

    /**
     * The report of {@code affect evaluate} from what it wrote into {@code out}: metrics.json and, when VA was
     * evaluated, the VA prediction folder, read against {@code vaAnnotations}.
     */
    static ReportWriter.Written afterEvaluation(Path out, Optional<Path> vaAnnotations) throws IOException {
        Optional<VaFolders> va = vaAnnotations.map(a -> new VaFolders(out.resolve(AbawTask.VA.folder()), a));
        return render(Optional.of(out.resolve("metrics.json")), Optional.empty(), va, out, DEFAULT_TITLE);
    }

    /** Without scores the report shows the history and VA plots alone. */
    static ReportWriter.Written render(Optional<Path> metrics, Optional<Path> history, Optional<VaFolders> va, Path out,
                                       String title) throws IOException {
        ReportData data = metrics.isPresent() ? ScoresJson.read(metrics.get(), title) : ReportData.titled(title);
        if (history.isPresent()) {
            data = data.withHistory(HistoryJson.read(history.get()));
        }
        if (va.isPresent()) {
            data = data.withVaPoints(VaPointFiles.read(va.get().predictions(), va.get().annotations()));
        }
        return ReportWriter.write(data, out);
    }
}
