package dev.daflow.evaluator.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.evaluator.service.ModelReport.Distance;
import dev.daflow.evaluator.service.ModelReport.Embedding;
import dev.daflow.evaluator.service.ModelReport.EpochRow;
import dev.daflow.evaluator.service.ModelReport.Mistake;
import dev.daflow.evaluator.service.ModelReport.Point;
import dev.daflow.events.ModelEvaluated;
import dev.daflow.events.Principals;
import dev.daflow.service.common.rest.Html;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A stored {@link ModelReport} as one self-contained HTML page: tables, figures as inline SVG,
 * pictures as PNG data URIs; no script. Rendering only lays out what the report holds (nothing is
 * computed from bundles or datasets), so a view costs a read of the stored report.
 *
 * <p>Every figure is an element of class {@code figure} with {@code data-width} and {@code
 * data-height}, the size it is drawn at, so a browser test can check that each one rendered.
 */
public final class ReportPage {
  /** Ten colours, one per class (Tableau 10). */
  private static final String[] CLASS_COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
      "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  private static final String SOURCE_COLOUR = "#1f77b4";
  private static final String TARGET_COLOUR = "#d62728";
  private static final String[] EXTRA_COLOURS = {"#2ca02c", "#9467bd", "#8c564b", "#e377c2",
      "#7f7f7f", "#bcbd22", "#17becf"};

  private ReportPage() {}

  /**
   * @param dataUrl data-service's base URL, for links to the datasets' previews; null or blank:
   *     the links are relative paths on data-service, shown as text
   */
  public static String render(ModelReport r, String dataUrl) {
    StringBuilder h = new StringBuilder(64 * 1024);
    String title = r.modelName() + " version " + r.version();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>").append(esc(title)).append(" - DAFlow model report</title>")
        .append("<link rel=\"icon\" href=\"data:,\">") // no favicon request
        .append("<style>").append(STYLE).append("</style></head><body>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n")
        .append("<p class=\"sub\">job <code>").append(esc(r.jobId())).append("</code>, bundle <code>")
        .append(esc(r.bundleKey())).append("</code> (SHA-256 <code>").append(esc(r.sha256()))
        .append("</code>), ").append(promotion(r)).append(". Report computed ").append(esc(r.computedAt()))
        .append(" in ").append(fmt(r.seconds(), 1)).append(" s and stored; this page only lays it out.</p>\n");
    card(h, r, dataUrl);
    epochs(h, r);
    confusions(h, r);
    perClass(h, r);
    embeddings(h, r);
    distances(h, r);
    mistakes(h, r);
    h.append("</body></html>\n");
    return h.toString();
  }

  /** How the version was promoted: by the policy, or by hand (by whom, from which version). */
  private static String promotion(ModelReport r) {
    if (r.promotedBy() == null && r.promotedFrom() == null) {
      return "promoted " + esc(r.promotedAt()) + " by policy <code>" + esc(r.policy())
          + "</code>";
    }
    return "<span id=\"promoted-by-hand\">promoted by hand " + esc(r.promotedAt()) + " by <b>"
        + esc(r.promotedBy() == null ? "(not recorded)" : r.promotedBy()) + "</b>"
        + (r.promotedFrom() == null ? "" : ", serving again the bundle of version "
            + r.promotedFrom()) + "</span>";
  }

  private static void card(StringBuilder h, ModelReport r, String dataUrl) {
    h.append("<h2 id=\"card\">Model card</h2>\n<table class=\"kv\">");
    JsonNode c = r.card();
    if (c == null || c.isNull()) {
      h.append("<tr><td colspan=\"2\">this bundle has no model card</td></tr>");
    } else {
      kv(h, "method", text(c, "method"));
      kv(h, "paper", text(c, "paper"));
      // Who asked for the training (Principals: jwt:<user>, kafka:<user>); cards of old: unknown.
      kv(h, "requested by", Principals.shown(c.hasNonNull("requestedBy")
          ? c.get("requestedBy").asText() : null));
      JsonNode config = c.path("config");
      kv(h, "network", text(config, "network"));
      // How the pictures were framed, and why (FramingDecision); cards of old have none.
      JsonNode framing = c.path("framing");
      kv(h, "framing", framing.isObject() ? text(framing, "framing") + ": "
          + text(framing, "reason") : "not recorded");
      kv(h, "seed", text(config, "seed"));
      kv(h, "recipe", config.isMissingNode() ? "" : config.toString());
      kv(h, "training time", c.has("trainingSeconds") ? fmt(c.get("trainingSeconds").asDouble(), 1)
          + " s, " + fmt(c.path("imagesPerSecond").asDouble(), 0) + " pictures/s" : "");
      kv(h, "created", text(c, "createdAt"));
      JsonNode libs = c.path("libraries");
      if (libs.isObject()) {
        StringBuilder l = new StringBuilder();
        libs.fields().forEachRemaining(e -> l.append(l.length() == 0 ? "" : ", ")
            .append(e.getKey()).append(' ').append(e.getValue().asText()));
        kv(h, "libraries", l.toString());
      }
    }
    h.append("</table>\n<h3>Datasets</h3>\n<table><tr><th>role</th><th>training data</th>"
        + "<th>pictures</th><th>SHA-256</th><th>preview</th></tr>");
    dataset(h, "source", c == null ? null : c.path("source"), r.sourceDataset(), dataUrl);
    dataset(h, "target", c == null ? null : c.path("target"), r.targetDataset(), dataUrl);
    h.append("</table>\n");
  }

  private static void dataset(StringBuilder h, String role, JsonNode ref, String name,
      String dataUrl) {
    boolean known = ref != null && ref.isObject();
    String path = "/datasets/" + name + "/preview";
    String link = dataUrl == null || dataUrl.isBlank() ? "<code>" + esc(path) + "</code> on data-service"
        : "<a href=\"" + esc(dataUrl.replaceAll("/+$", "") + path) + "\">" + esc(name) + " preview</a>";
    h.append("<tr><td>").append(role).append("</td><td>")
        .append(esc(known ? text(ref, "name") : name)).append("</td><td>")
        .append(known ? esc(text(ref, "count")) : "").append("</td><td><code>")
        .append(known ? esc(text(ref, "sha256")) : "").append("</code></td><td>").append(link)
        .append("</td></tr>");
  }

  private static void epochs(StringBuilder h, ModelReport r) {
    h.append("<h2 id=\"epochs\">Accuracy per epoch</h2>\n");
    Set<String> extras = new LinkedHashSet<>();
    r.epochs().forEach(e -> extras.addAll(e.extra().keySet()));
    h.append("<table><tr><th>epoch</th><th>source accuracy</th><th>target accuracy</th>");
    extras.forEach(x -> h.append("<th>").append(esc(x)).append("</th>"));
    h.append("</tr>");
    for (EpochRow e : r.epochs()) {
      h.append("<tr><td>").append(e.epoch()).append("</td><td>").append(fmt(e.sourceAccuracy(), 4))
          .append("</td><td>").append(fmt(e.targetAccuracy(), 4)).append("</td>");
      extras.forEach(x -> h.append("<td>").append(e.extra().containsKey(x)
          ? fmt(e.extra().get(x), 4) : "").append("</td>"));
      h.append("</tr>");
    }
    h.append("</table>\n");
    if (r.epochs().isEmpty()) {
      h.append("<p>no epoch was evaluated</p>\n");
      return;
    }
    int w = 640;
    int ht = 280;
    int left = 50;
    int right = 160;
    int top = 16;
    int bottom = 36;
    double pw = w - left - right;
    double ph = ht - top - bottom;
    List<EpochRow> rows = r.epochs();
    // One axis from 0 to 1: the accuracies and the validators that stay in [0, 1]; the others
    // (e.g. SND, IM) have scales of their own and stay in the table above.
    Set<String> plotted = new LinkedHashSet<>();
    for (String x : extras) {
      if (rows.stream().map(e -> e.extra().get(x)).allMatch(v -> v == null
          || !Double.isFinite(v) || (v >= 0 && v <= 1))) {
        plotted.add(x);
      }
    }
    Set<String> apart = new LinkedHashSet<>(extras);
    apart.removeAll(plotted);
    if (!apart.isEmpty()) {
      h.append("<p class=\"caption\">Plotted on one axis from 0 to 1: the accuracies and the "
          + "validators within it; ").append(esc(String.join(", ", apart)))
          .append(" (other scales) are in the table only.</p>\n");
    }
    double min = 0;
    double max = 1;
    int first = rows.get(0).epoch();
    int last = rows.get(rows.size() - 1).epoch();
    double span = Math.max(1, last - first);
    double lo = min;
    double hi = max;
    java.util.function.DoubleUnaryOperator xOf = ep -> left + (ep - first) / span * pw;
    java.util.function.DoubleUnaryOperator yOf = v -> top + (1 - (v - lo) / (hi - lo)) * ph;
    svgOpen(h, "accuracy per epoch", w, ht);
    axes(h, left, top, pw, ph);
    for (int i = 0; i <= 4; i++) {
      double v = lo + (hi - lo) * i / 4;
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" "
          + "text-anchor=\"end\">%s</text>", left - 4, yOf.applyAsDouble(v) + 4, fmt(v, 2)));
    }
    for (EpochRow e : rows) {
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" "
          + "text-anchor=\"middle\">%d</text>", xOf.applyAsDouble(e.epoch()), top + (int) ph + 14,
          e.epoch()));
    }
    h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" "
        + "text-anchor=\"middle\">epoch</text>", left + pw / 2, ht - 4));
    List<String> names = new ArrayList<>(List.of("source accuracy", "target accuracy"));
    names.addAll(plotted);
    for (int s = 0; s < names.size(); s++) {
      String colour = s == 0 ? SOURCE_COLOUR : s == 1 ? TARGET_COLOUR
          : EXTRA_COLOURS[(s - 2) % EXTRA_COLOURS.length];
      StringBuilder pts = new StringBuilder();
      for (EpochRow e : rows) {
        Double v = s == 0 ? e.sourceAccuracy() : s == 1 ? e.targetAccuracy()
            : e.extra().get(names.get(s));
        if (v == null || !Double.isFinite(v)) {
          continue;
        }
        double x = xOf.applyAsDouble(e.epoch());
        double y = yOf.applyAsDouble(v);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
            + "fill=\"%s\"><title>%s epoch %d: %s</title></circle>", x, y, colour,
            esc(names.get(s)), e.epoch(), fmt(v, 4)));
      }
      h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour)
          .append("\" points=\"").append(pts.toString().strip()).append("\"/>");
      int ly = top + 10 + 16 * s;
      h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" "
          + "fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", w - right + 12,
          ly - 3, colour, w - right + 28, ly + 1, esc(names.get(s))));
    }
    h.append("</svg>\n");
  }

  private static void confusions(StringBuilder h, ModelReport r) {
    h.append("<h2 id=\"confusion\">Confusion matrices of the promoted bundle</h2>\n"
        + "<p class=\"caption\">Rows: true class; columns: predicted class; shade: share of the "
        + "row. Source and target test splits.</p>\n<div class=\"row\">");
    confusion(h, "source", r.source(), r.classNames());
    confusion(h, "target", r.target(), r.classNames());
    h.append("</div>\n");
  }

  private static void confusion(StringBuilder h, String role, ModelEvaluated.Evaluation e,
      List<String> classes) {
    h.append("<div><h3>").append(role).append(": ").append(esc(e.dataset())).append(", accuracy ")
        .append(fmt(e.accuracy(), 4)).append(" of ").append(e.count()).append("</h3>");
    int k = classes.size();
    int cell = Math.max(14, Math.min(30, 300 / Math.max(k, 1)));
    int off = 24;
    int size = off + cell * k + 4;
    svgOpen(h, role + " confusion matrix", size, size);
    List<List<Integer>> m = e.confusion() == null ? List.of() : e.confusion();
    for (int t = 0; t < Math.min(k, m.size()); t++) {
      int total = m.get(t).stream().mapToInt(Integer::intValue).sum();
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\" "
          + "text-anchor=\"end\">%s</text>", off - 4, off + t * cell + cell / 2 + 4,
          esc(classes.get(t))));
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\" "
          + "text-anchor=\"middle\">%s</text>", off + t * cell + cell / 2, off - 6,
          esc(classes.get(t))));
      for (int p = 0; p < Math.min(k, m.get(t).size()); p++) {
        int n = m.get(t).get(p);
        double share = total == 0 ? 0 : n / (double) total;
        String fill = t == p ? shade(share, 31, 119, 180) : shade(Math.min(1, share * 4), 214, 39, 40);
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
            + "fill=\"%s\" stroke=\"#fff\"><title>true %s, predicted %s: %d</title></rect>",
            off + p * cell, off + t * cell, cell, cell, fill, esc(classes.get(t)),
            esc(classes.get(p)), n));
        if (cell >= 24 && n > 0) {
          h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"cell\" "
              + "text-anchor=\"middle\">%d</text>", off + p * cell + cell / 2,
              off + t * cell + cell / 2 + 4, n));
        }
      }
    }
    h.append("</svg></div>");
  }

  private static void perClass(StringBuilder h, ModelReport r) {
    h.append("<h2 id=\"per-class\">Per-class accuracy of the promoted bundle</h2>\n");
    List<String> classes = r.classNames();
    h.append("<table><tr><th>class</th>");
    classes.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr>");
    for (var row : List.of(Map.entry("source", r.source()), Map.entry("target", r.target()))) {
      h.append("<tr><td>").append(row.getKey()).append("</td>");
      classes.forEach(c -> h.append("<td>").append(fmt(row.getValue().perClassAccuracy()
          .getOrDefault(c, Double.NaN), 3)).append("</td>"));
      h.append("</tr>");
    }
    h.append("</table>\n");
    int w = 640;
    int ht = 220;
    int left = 40;
    int top = 10;
    int bottom = 30;
    double pw = w - left - 10;
    double ph = ht - top - bottom;
    svgOpen(h, "per-class accuracy", w, ht);
    axes(h, left, top, pw, ph);
    double group = pw / Math.max(1, classes.size());
    double bar = group * 0.38;
    for (int i = 0; i < classes.size(); i++) {
      String c = classes.get(i);
      double[] v = {r.source().perClassAccuracy().getOrDefault(c, 0.0),
          r.target().perClassAccuracy().getOrDefault(c, 0.0)};
      for (int s = 0; s < 2; s++) {
        double val = Double.isFinite(v[s]) ? v[s] : 0;
        double x = left + i * group + group * 0.1 + s * bar;
        h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            + "height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>", x,
            top + (1 - val) * ph, bar, val * ph, s == 0 ? SOURCE_COLOUR : TARGET_COLOUR,
            s == 0 ? "source" : "target", esc(c), fmt(v[s], 3)));
      }
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" "
          + "text-anchor=\"middle\">%s</text>", left + i * group + group / 2, top + ph + 14,
          esc(c)));
    }
    for (int i = 0; i <= 2; i++) {
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" "
          + "text-anchor=\"end\">%s</text>", left - 4, top + (1 - i / 2.0) * ph + 4,
          fmt(i / 2.0, 1)));
    }
    h.append("</svg>\n<p class=\"caption\"><span style=\"color:").append(SOURCE_COLOUR)
        .append("\">&#9632; source</span> <span style=\"color:").append(TARGET_COLOUR)
        .append("\">&#9632; target</span></p>\n");
  }

  private static void embeddings(StringBuilder h, ModelReport r) {
    h.append("<h2 id=\"embedding\">Features of source and target pictures, first and last "
        + "epoch</h2>\n<p class=\"caption\">Each point is a test picture's feature vector (the "
        + "encoder's output the classifier reads), projected on its two principal components "
        + "(PCA, computed with ND4J; Pearson 1901). PCA rather than t-SNE or UMAP: the maintained "
        + "Java t-SNE (Smile) is GPL-3.0, which would put the whole project under the GPL. PCA is "
        + "linear: clouds that overlap here overlap in the features; clouds apart here may still "
        + "be close in directions not drawn (the proxy A-distance below measures all of them). "
        + "Left: coloured by domain (<span style=\"color:").append(SOURCE_COLOUR)
        .append("\">source</span>, <span style=\"color:").append(TARGET_COLOUR)
        .append("\">target</span>); right: coloured by true class.</p>\n");
    if (r.embeddings().isEmpty()) {
      h.append("<p>not available: this model's graph names no features</p>\n");
      return;
    }
    for (Embedding e : r.embeddings()) {
      long n = e.points().stream().filter(Point::target).count();
      h.append("<h3>epoch ").append(e.epoch()).append(" (").append(e.points().size() - n)
          .append(" source and ").append(n).append(" target pictures; axes explain ")
          .append(fmt(100 * e.explained().get(0), 1)).append("% and ")
          .append(fmt(100 * e.explained().get(1), 1)).append("% of the variance)</h3>\n"
              + "<div class=\"row\">");
      scatter(h, e, true);
      scatter(h, e, false);
      h.append("</div>\n");
    }
    h.append("<p class=\"caption\">Classes: ");
    for (int c = 0; c < r.classNames().size(); c++) {
      h.append("<span style=\"color:").append(CLASS_COLOURS[c % CLASS_COLOURS.length])
          .append("\">&#9679; ").append(esc(r.classNames().get(c))).append("</span> ");
    }
    h.append("</p>\n");
  }

  private static void scatter(StringBuilder h, Embedding e, boolean byDomain) {
    int size = 320;
    int pad = 8;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Point p : e.points()) {
      minX = Math.min(minX, p.x());
      maxX = Math.max(maxX, p.x());
      minY = Math.min(minY, p.y());
      maxY = Math.max(maxY, p.y());
    }
    double sx = (size - 2 * pad) / Math.max(1e-9, maxX - minX);
    double sy = (size - 2 * pad) / Math.max(1e-9, maxY - minY);
    svgOpen(h, "epoch " + e.epoch() + " features by " + (byDomain ? "domain" : "class"), size, size);
    h.append("<rect x=\"0.5\" y=\"0.5\" width=\"").append(size - 1).append("\" height=\"")
        .append(size - 1).append("\" fill=\"#fff\" stroke=\"#ccc\"/>");
    for (Point p : e.points()) {
      String colour = byDomain ? (p.target() ? TARGET_COLOUR : SOURCE_COLOUR)
          : CLASS_COLOURS[Math.floorMod(p.label(), CLASS_COLOURS.length)];
      h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" "
          + "fill-opacity=\"0.6\"/>", pad + (p.x() - minX) * sx,
          size - pad - (p.y() - minY) * sy, colour));
    }
    h.append("</svg>");
  }

  private static void distances(StringBuilder h, ModelReport r) {
    h.append("<h2 id=\"distance\">Proxy A-distance, before and after adaptation</h2>\n<p "
        + "class=\"caption\">How well a linear classifier tells source features from target "
        + "features (Ben-David et al. 2007; as Ganin et al. 2016, Sec. 5.1.2, use it): 2 (1 - 2 "
        + "error) on a held-out half; 0 when the domains cannot be told apart, 2 when they always "
        + "can. Measured on the same pictures as the figures above: before adaptation on the "
        + "reference named below, then on the first evaluated epoch's model (after one epoch "
        + "of training: already adapted for one epoch, unless it was an epoch of source "
        + "pre-training) and on the promoted one.</p>\n");
    ModelReport.Reference ref = r.reference();
    h.append("<p id=\"reference\" class=\"caption\"><b>Before adaptation</b>: ");
    if (ref == null) {
      h.append("no reference in this report (too few pictures, or the report was computed "
          + "before references were measured).");
    } else {
      h.append("reference <code>").append(esc(ref.kind())).append("</code>, ")
          .append(esc(REFERENCE_NAMES.getOrDefault(ref.kind(), ref.kind()))).append(": ")
          .append(esc(ref.description())).append('.');
    }
    h.append("</p>\n");
    if (r.distances().isEmpty() && ref == null) {
      h.append("<p>not available: this model's graph names no features</p>\n");
      return;
    }
    List<String> labels = new ArrayList<>();
    List<double[]> values = new ArrayList<>(); // pad, held-out error, pictures
    if (ref != null) {
      labels.add("before adaptation (" + REFERENCE_NAMES.getOrDefault(ref.kind(), ref.kind())
          + ")");
      values.add(new double[] {ref.pad(), ref.heldOutError(), ref.pictures()});
    }
    for (int i = 0; i < r.distances().size(); i++) {
      Distance d = r.distances().get(i);
      boolean promoted = i == r.distances().size() - 1 && (i > 0 || r.distances().size() == 1);
      labels.add("epoch " + d.epoch() + (i == 0 && r.distances().size() > 1 ? " (first evaluated)"
          : promoted ? " (promoted)" : ""));
      values.add(new double[] {d.pad(), d.heldOutError(), d.pictures()});
    }
    if (r.distances().isEmpty()) {
      h.append("<p>not available for the model's own features: its graph names none</p>\n");
    }
    h.append("<table><tr><th>measured on</th><th>proxy A-distance</th><th>held-out error</th>"
        + "<th>pictures per domain</th></tr>");
    for (int i = 0; i < labels.size(); i++) {
      h.append("<tr><td>").append(esc(labels.get(i))).append("</td><td>")
          .append(fmt(values.get(i)[0], 3)).append("</td><td>").append(fmt(values.get(i)[1], 3))
          .append("</td><td>").append((int) values.get(i)[2]).append("</td></tr>");
    }
    h.append("</table>\n");
    int w = 660;
    int rowH = 28;
    int ht = 20 + rowH * labels.size();
    svgOpen(h, "proxy A-distance", w, ht);
    // room for the longest label, "before adaptation (the source-only network of ...)"
    int left = 340;
    double pw = w - left - 50;
    for (int i = 0; i < labels.size(); i++) {
      double pad = values.get(i)[0];
      double v = Math.max(0, Math.min(2, pad));
      int y = 6 + i * rowH;
      boolean before = ref != null && i == 0;
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\" "
          + "text-anchor=\"end\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
          + "height=\"%d\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>",
          left - 6, y + 15, esc(labels.get(i)), left, y, Math.max(1, v / 2 * pw), rowH - 8,
          before ? "#555" : i == labels.size() - 1 ? TARGET_COLOUR : "#aaa", left + v / 2 * pw + 4,
          y + 15, fmt(pad, 3)));
    }
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
        + "stroke=\"#999\"/><text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"end\">2</text>",
        left, ht - 6, left + pw, ht - 6, left + pw, ht - 8));
    h.append("</svg>\n");
  }

  /** What each kind of before-adaptation reference is, in words. */
  private static final Map<String, String> REFERENCE_NAMES = Map.of(
      ModelReport.SOURCE_PHASE, "the source-only network of this job's pre-training",
      ModelReport.SOURCE_ONLY_MODEL, "a source-only model of the same domains",
      ModelReport.INPUT_PIXELS, "the input pixels, no model");

  private static void mistakes(StringBuilder h, ModelReport r) {
    h.append("<h2 id=\"mistakes\">Target test pictures it gets wrong</h2>\n<p class=\"caption\">")
        .append(r.targetWrong()).append(" of ").append(r.target().count())
        .append(" target test pictures are wrong");
    if (!r.mistakes().isEmpty()) {
      h.append("; the first ").append(r.mistakes().size())
          .append(", each with its predicted and (in brackets) true class");
    }
    h.append(".</p>\n<div class=\"grid\">");
    for (Mistake m : r.mistakes()) {
      h.append("<figure><img class=\"figure\" data-width=\"56\" data-height=\"56\" width=\"56\" "
          + "height=\"56\" alt=\"target picture ").append(m.index()).append("\" src=\"data:image/png;base64,")
          .append(m.png()).append("\"><figcaption>").append(esc(m.predicted()))
          .append(" <span class=\"truth\">(").append(esc(m.truth())).append(")</span>")
          .append("</figcaption></figure>");
    }
    h.append("</div>\n");
  }

  private static void svgOpen(StringBuilder h, String label, int w, int ht) {
    h.append("<svg class=\"figure\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" ")
        .append("aria-label=\"").append(esc(label)).append("\" width=\"").append(w)
        .append("\" height=\"").append(ht).append("\" data-width=\"").append(w)
        .append("\" data-height=\"").append(ht).append("\" viewBox=\"0 0 ").append(w).append(' ')
        .append(ht).append("\">");
  }

  private static void axes(StringBuilder h, int left, int top, double pw, double ph) {
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" "
        + "stroke=\"#999\"/><line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>",
        left, top, left, top + ph, left, top + ph, left + pw, top + ph));
  }

  private static void kv(StringBuilder h, String k, String v) {
    if (v != null && !v.isBlank()) {
      h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static String shade(double share, int r, int g, int b) {
    double s = Math.max(0, Math.min(1, share));
    return String.format(Locale.ROOT, "rgb(%d,%d,%d)", (int) (255 - (255 - r) * s),
        (int) (255 - (255 - g) * s), (int) (255 - (255 - b) * s));
  }

  static String fmt(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
  }

  private static String esc(String s) {
    return Html.escape(s);
  }

  private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:24px;"
      + "max-width:1100px;color:#222}h1{margin-bottom:4px}.sub,.caption{color:#555;font-size:"
      + "14px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:"
      + "3px 8px;font-size:13px;text-align:left}table.kv td{max-width:800px;word-break:break-all}"
      + ".row{display:flex;gap:24px;flex-wrap:wrap}.tick{font-size:11px;fill:#444}.cell{font-"
      + "size:10px;fill:#000}.grid{display:flex;flex-wrap:wrap;gap:6px}figure{margin:0;text-"
      + "align:center;font-size:12px}figure img{image-rendering:pixelated;outline:1px solid #ccc;"
      + "display:block}.truth{color:#888}code{font-size:12px}";
}
