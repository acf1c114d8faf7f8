package dev.daflow.data.service;

import dev.daflow.data.service.DatasetPreview.Sample;
import dev.daflow.data.service.DatasetPreview.Shard;
import dev.daflow.data.service.DatasetPreview.SplitPreview;
import dev.daflow.service.common.rest.Html;
import java.util.Locale;

/**
 * A stored {@link DatasetPreview} as one self-contained HTML page: counts per class as a table
 * and an inline SVG bar chart, the pictures as PNG data URIs, no script. Every figure has class
 * {@code figure} and {@code data-width}/{@code data-height}, the size it is drawn at.
 */
public final class PreviewPage {
  /** Pixels a picture is drawn at (pictures are scaled up, pixelated). */
  public static final int PICTURE = 56;

  private PreviewPage() {}

  public static String render(DatasetPreview p) {
    StringBuilder h = new StringBuilder(64 * 1024);
    String name = Html.escape(p.dataset());
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(name).append(" - DAFlow dataset preview</title><link rel=\"icon\" href=\"data:,\"><style>").append(STYLE)
        .append("</style></head><body>\n<h1>Dataset ").append(name).append("</h1>\n")
        .append("<table class=\"kv\">");
    kv(h, "origin", p.origin());
    kv(h, "ingested", p.createdAt());
    kv(h, "pictures", p.height() + " x " + p.width() + ", " + (p.channels() == 1 ? "grey"
        : p.channels() + " channels"));
    kv(h, "classes", String.join(", ", p.classNames()));
    kv(h, "size", String.format(Locale.ROOT, "%,d bytes of shards (%.1f MiB)", p.bytes(),
        p.bytes() / 1048576.0));
    kv(h, "manifest SHA-256", p.manifestSha256());
    h.append("</table>\n<h2>Pictures per class</h2>\n<table><tr><th>split</th><th>all</th>");
    p.classNames().forEach(c -> h.append("<th>").append(Html.escape(c)).append("</th>"));
    h.append("</tr>");
    for (SplitPreview s : p.splits()) {
      h.append("<tr><td>").append(Html.escape(s.name())).append("</td><td>").append(s.count())
          .append("</td>");
      s.classCounts().forEach(n -> h.append("<td>").append(n).append("</td>"));
      h.append("</tr>");
    }
    h.append("</table>\n");
    counts(h, p);
    for (SplitPreview s : p.splits()) {
      h.append("<h2>").append(Html.escape(s.name())).append(": the first pictures of each class"
          + "</h2>\n<table class=\"pictures\">");
      for (int c = 0; c < p.classNames().size(); c++) {
        h.append("<tr><th>").append(Html.escape(p.classNames().get(c))).append("</th><td>");
        for (Sample sample : s.samples().get(c)) {
          h.append("<img class=\"figure\" width=\"").append(PICTURE).append("\" height=\"")
              .append(PICTURE).append("\" data-width=\"").append(PICTURE)
              .append("\" data-height=\"").append(PICTURE).append("\" alt=\"")
              .append(Html.escape(s.name())).append(" picture ").append(sample.index())
              .append("\" title=\"").append(Html.escape(s.name())).append(" #")
              .append(sample.index()).append("\" src=\"data:image/png;base64,")
              .append(sample.png()).append("\">");
        }
        h.append("</td></tr>");
      }
      h.append("</table>\n<details><summary>").append(s.shards().size())
          .append(" shards with their SHA-256</summary><table>");
      for (Shard shard : s.shards()) {
        h.append("<tr><td><code>").append(Html.escape(shard.key())).append("</code></td><td>")
            .append(shard.count()).append("</td><td><code>").append(Html.escape(shard.sha256()))
            .append("</code></td></tr>");
      }
      h.append("</table></details>\n");
    }
    h.append("<p class=\"caption\">Preview made ").append(Html.escape(p.madeAt()))
        .append(" from every picture of the dataset and stored with it.</p>\n</body></html>\n");
    return h.toString();
  }

  /** Pictures per class, one bar per split and class. */
  private static void counts(StringBuilder h, DatasetPreview p) {
    int w = 640;
    int ht = 200;
    int left = 50;
    int top = 10;
    int bottom = 24;
    double pw = w - left - 10;
    double ph = ht - top - bottom;
    int max = 1;
    for (SplitPreview s : p.splits()) {
      for (int n : s.classCounts()) {
        max = Math.max(max, n);
      }
    }
    String[] colours = {"#4e79a7", "#f28e2b", "#59a14f"};
    h.append("<svg class=\"figure\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
        + "aria-label=\"pictures per class\" width=\"").append(w).append("\" height=\"").append(ht)
        .append("\" data-width=\"").append(w).append("\" data-height=\"").append(ht)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht).append("\">");
    int classes = p.classNames().size();
    double group = pw / Math.max(1, classes);
    int splits = Math.max(1, p.splits().size());
    double bar = group * 0.8 / splits;
    for (int c = 0; c < classes; c++) {
      for (int s = 0; s < p.splits().size(); s++) {
        int n = p.splits().get(s).classCounts().get(c);
        double bh = n / (double) max * ph;
        h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            + "height=\"%.1f\" fill=\"%s\"><title>%s %s: %d</title></rect>",
            left + c * group + group * 0.1 + s * bar, top + ph - bh, bar, bh,
            colours[s % colours.length], Html.escape(p.splits().get(s).name()),
            Html.escape(p.classNames().get(c)), n));
      }
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" "
          + "text-anchor=\"middle\">%s</text>", left + c * group + group / 2, top + ph + 14,
          Html.escape(p.classNames().get(c))));
    }
    h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\" "
        + "text-anchor=\"end\">%d</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" "
        + "stroke=\"#999\"/>", left - 4, top + 8, max, left, top, left, top + ph));
    h.append("</svg>\n<p class=\"caption\">");
    for (int s = 0; s < p.splits().size(); s++) {
      h.append("<span style=\"color:").append(colours[s % colours.length]).append("\">&#9632; ")
          .append(Html.escape(p.splits().get(s).name())).append("</span> ");
    }
    h.append("</p>\n");
  }

  private static void kv(StringBuilder h, String k, String v) {
    h.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(v))
        .append("</td></tr>");
  }

  private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:24px;"
      + "max-width:1100px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:"
      + "1px solid #ddd;padding:3px 8px;font-size:13px;text-align:left}.tick{font-size:11px;"
      + "fill:#444}.caption{color:#555;font-size:14px}table.pictures img{image-rendering:"
      + "pixelated;margin:2px;outline:1px solid #ccc}code{font-size:12px}";
}
