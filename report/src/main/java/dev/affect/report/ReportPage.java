package dev.affect.report;

import dev.affect.report.plot.Plot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The report as one self-contained HTML page: no external URL, styles inline, every figure a
 * {@code plots/<name>.png} beside it with alt text and its pixel size. The page is built as a jsoup
 * tree, so every string from the data (titles, context, series names) lands as escaped text, never as
 * markup. A small script records, once the page has loaded, how many images decoded
 * ({@code data-images-decoded} / {@code data-images-total} on {@code <body>}), which a headless browser
 * check reads back.
 */
public final class ReportPage {
    public static final String PLOTS_FOLDER = "plots";

    private static final String STYLE = """
            body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px;
                   color: #111; background: #fff; line-height: 1.4; padding: 0 1em; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; padding-bottom: .2em; }
            table { border-collapse: collapse; margin: .6em 0 1.2em; }
            th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            thead th { background: #eef2f7; }
            caption { text-align: left; font-weight: bold; padding: .2em 0; }
            td.metric { font-weight: bold; }
            figure { margin: 1em 0 2em; }
            figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
            figcaption { font-size: .9em; color: #333; }
            @media print {
              body { max-width: none; margin: 0; }
              section, figure, table { break-inside: avoid; }
              thead th { background: none; }
            }
            """;

    /** Counts decoded images after load; a browser test reads the attributes from the DOM. */
    static final String IMAGE_CHECK = """
            window.addEventListener('load', function () {
              var images = Array.prototype.slice.call(document.images);
              var decoded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
              document.body.setAttribute('data-images-decoded', String(decoded));
              document.body.setAttribute('data-images-total', String(images.length));
            });
            """;

    private ReportPage() {
    }

    /** The page for {@code data} with its figures, in the order given. */
    public static String html(ReportData data, ReportPlots plots) {
        Document doc = Document.createShell("");
        doc.outputSettings().prettyPrint(true).charset("UTF-8");
        doc.selectFirst("html").attr("lang", "en");
        Element head = doc.head();
        head.appendElement("meta").attr("charset", "utf-8");
        head.appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        head.appendElement("title").text(data.title());
        head.appendElement("style").appendChild(new DataNode(STYLE));
        Element body = doc.body();
        body.appendElement("h1").text(data.title());
        if (!data.context().isEmpty()) {
            Element table = body.appendElement("table").addClass("context");
            data.context().forEach((k, v) -> row(table, k, v));
        }
        if (data.va().isPresent() || !plots.va().isEmpty()) {
            Element va = section(body, "va", "Valence and arousal");
            data.va().ifPresent(scores -> vaTable(va, scores));
            figures(va, plots.va());
        }
        data.expr().ifPresent(expr -> figures(exprSection(body, expr), plots.expr()));
        data.au().ifPresent(au -> figures(auSection(body, au), plots.au()));
        if (!data.history().isEmpty()) {
            figures(trainingSection(body, data.history()), plots.training());
        }
        body.appendElement("script").appendChild(new DataNode(IMAGE_CHECK));
        return "<!DOCTYPE html>\n" + doc.html() + "\n";
    }

    private static void vaTable(Element s, VaScores va) {
        Element t = metricTable(s);
        metric(t, "P_VA (mean CCC, challenge metric)", va.pVa());
        metric(t, "CCC valence", va.cccValence());
        metric(t, "CCC arousal", va.cccArousal());
        row(t, "frames", Integer.toString(va.nFrames()));
    }

    private static Element exprSection(Element body, ExprScores expr) {
        Element s = section(body, "expr", "Expressions");
        Element t = metricTable(s);
        metric(t, "F1 macro (challenge metric)", expr.f1Macro());
        metric(t, "accuracy", expr.accuracy());
        row(t, "frames", Integer.toString(expr.nFrames()));
        Element perClass = table(s, "Per class", expr.confusionMatrix().isPresent()
                ? List.of("class", "F1", "frames") : List.of("class", "F1"));
        for (int c = 0; c < expr.classes().size(); c++) {
            Element r = perClass.appendElement("tr");
            r.appendElement("td").text(expr.classes().get(c));
            r.appendElement("td").text(number(expr.perClassF1()[c]));
            if (expr.confusionMatrix().isPresent()) {
                long support = 0;
                for (long n : expr.confusionMatrix().get()[c]) {
                    support += n;
                }
                r.appendElement("td").text(Long.toString(support));
            }
        }
        expr.confusionMatrix().ifPresent(cm -> {
            List<String> header = new ArrayList<>();
            header.add("true \\ predicted");
            header.addAll(expr.classes());
            Element counts = table(s, "Confusion matrix (frame counts)", header);
            for (int row = 0; row < cm.length; row++) {
                Element r = counts.appendElement("tr");
                r.appendElement("th").attr("scope", "row").text(expr.classes().get(row));
                for (long n : cm[row]) {
                    r.appendElement("td").text(Long.toString(n));
                }
            }
        });
        return s;
    }

    private static Element auSection(Element body, AuScores au) {
        Element s = section(body, "au", "Action units");
        Element t = metricTable(s);
        metric(t, "F1 mean at 0.5 (challenge metric)", au.f1Mean());
        metric(t, "F1 mean at searched thresholds", au.f1MeanOptimized());
        row(t, "frames", Integer.toString(au.nFrames()));
        Element perAu = table(s, "Per action unit", List.of("AU", "F1 at 0.5", "searched threshold", "F1 at threshold"));
        for (int a = 0; a < au.aus().size(); a++) {
            Element r = perAu.appendElement("tr");
            r.appendElement("td").text(au.aus().get(a));
            r.appendElement("td").text(number(au.f1PerAu()[a]));
            r.appendElement("td").text(String.format(Locale.ROOT, "%.1f", au.thresholds()[a]));
            r.appendElement("td").text(number(au.f1PerAuOptimized()[a]));
        }
        return s;
    }

    private static Element trainingSection(Element body, TrainingHistory history) {
        Element s = section(body, "training", "Training");
        Element t = table(s, "Curves", List.of("curve", "x", "points", "last", "lowest", "highest"));
        for (TrainingSeries series : history.series()) {
            Element r = t.appendElement("tr");
            r.appendElement("td").text(series.name());
            r.appendElement("td").text(series.x());
            r.appendElement("td").text(Integer.toString(series.size()));
            double last = Double.NaN;
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (double y : series.ys()) {
                if (Double.isFinite(y)) {
                    last = y;
                    low = Math.min(low, y);
                    high = Math.max(high, y);
                }
            }
            boolean any = Double.isFinite(last);
            r.appendElement("td").text(any ? number(last) : "none");
            r.appendElement("td").text(any ? number(low) : "none");
            r.appendElement("td").text(any ? number(high) : "none");
        }
        return s;
    }

    private static Element section(Element body, String id, String title) {
        Element s = body.appendElement("section").attr("id", id);
        s.appendElement("h2").text(title);
        return s;
    }

    private static Element metricTable(Element section) {
        Element t = section.appendElement("table").addClass("metrics");
        Element head = t.appendElement("thead").appendElement("tr");
        head.appendElement("th").text("metric");
        head.appendElement("th").text("value");
        return t.appendElement("tbody");
    }

    private static Element table(Element section, String caption, List<String> header) {
        Element t = section.appendElement("table");
        t.appendElement("caption").text(caption);
        Element head = t.appendElement("thead").appendElement("tr");
        header.forEach(h -> head.appendElement("th").attr("scope", "col").text(h));
        return t.appendElement("tbody");
    }

    private static void metric(Element table, String name, double value) {
        Element r = table.appendElement("tr");
        r.appendElement("td").addClass("metric").text(name);
        r.appendElement("td").text(number(value));
    }

    private static void row(Element table, String key, String value) {
        Element r = table.appendElement("tr");
        r.appendElement("th").attr("scope", "row").text(key);
        r.appendElement("td").text(value);
    }

    private static void figures(Element section, List<Plot> plots) {
        for (Plot p : plots) {
            Element f = section.appendElement("figure");
            f.appendElement("img").attr("src", PLOTS_FOLDER + "/" + p.fileName()).attr("alt", p.alt())
                    .attr("width", Integer.toString(p.width())).attr("height", Integer.toString(p.height()));
            f.appendElement("figcaption").text(p.title());
        }
    }

    /** Four decimals, as {@code affect score} prints; NaN (CCC of constant input) stays visible as NaN. */
    static String number(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }
}
