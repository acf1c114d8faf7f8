package dev.daflow.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daflow.evaluator.service.ModelReport.Distance;
import dev.daflow.evaluator.service.ModelReport.Embedding;
import dev.daflow.evaluator.service.ModelReport.EpochRow;
import dev.daflow.evaluator.service.ModelReport.Mistake;
import dev.daflow.evaluator.service.ModelReport.Point;
import dev.daflow.events.ModelEvaluated;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ReportPage}: what a stored report is laid out as. */
class ReportPageTest {
  private static final List<String> CLASSES = List.of("a", "b");

  /** A report of version 3 of {@code m<x>}, by the {@code final} policy. */
  static ModelReport report(ObjectNode card, List<EpochRow> epochs) {
    ModelEvaluated.Evaluation src = new ModelEvaluated.Evaluation("s/test", 4, 0.75,
        Map.of("a", 1.0, "b", 0.5), List.of(List.of(2, 0), List.of(1, 1)));
    ModelEvaluated.Evaluation tgt = new ModelEvaluated.Evaluation("t/test", 4, 0.5,
        Map.of("a", 0.5, "b", 0.5), List.of(List.of(1, 1), List.of(1, 1)));
    List<Point> points = List.of(new Point(0, 0, false, 0), new Point(1, 2, true, 1));
    return new ModelReport("m<x>", 3, "job-1", "bundles/job-1.bundle", "ab", "final",
        "2026-01-01T00:00:00Z", card, "s", "t", epochs, CLASSES, src, tgt,
        List.of(new Embedding(0, "PCA", List.of(0.6, 0.3), points),
            new Embedding(2, "PCA", List.of(0.5, 0.2), points)),
        List.of(new Distance(0, 1.5, 0.125, 500), new Distance(2, 0.4, 0.4, 500)),
        List.of(new Mistake(7, "iVBORw0KGgo=", "b", "a")), 2, "2026-01-01T00:01:00Z", 3.5,
        new ModelReport.Reference(ModelReport.SOURCE_PHASE, "this job's source-only network at "
            + "the end of adda's source pre-training (epoch 4)", "checkpoints/job-1/epoch-0004"
            + ".bundle", 1.9, 0.025, 500), null, null);
  }

  @Test
  void laysOutEveryPartWithExtraPerEpochFiguresAsColumnsAndEscapesText() {
    ObjectNode card = JsonNodeFactory.instance.objectNode();
    card.put("method", "dann").put("requestedBy", "jwt:alice & bob");
    card.putObject("config").put("seed", 7).put("network", "lenet");
    card.putObject("source").put("name", "s/train").put("count", 10).put("sha256", "f00d");
    card.putObject("libraries").put("nd4j", "1.0.0-M2.1");
    card.putObject("framing").put("framing", "RESIZE").put("reason", "resized: t (1% of 9)");
    String page = ReportPage.render(report(card, List.of(
        new EpochRow(0, 0.5, 0.25, Map.of("entropy", 0.9, "snd", 5.3)),
        new EpochRow(2, 0.75, 0.5, Map.of("entropy", 0.3, "snd", 5.4)))), "http://data:8081/");

    assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script")
        .contains("<h1>m&lt;x&gt; version 3</h1>")
        .contains("<th>requested by</th><td>jwt:alice &amp; bob</td>")
        .contains("<th>framing</th><td>RESIZE: resized: t (1% of 9)</td>")
        .contains("<td>7</td>", "nd4j 1.0.0-M2.1", "f00d")
        .contains("<a href=\"http://data:8081/datasets/s/preview\">")
        .contains("<th>entropy</th>", "<td>0.3000</td>", ">entropy</text>")
        // a validator on a scale of its own is in the table, not on the 0-1 chart
        .contains("<th>snd</th>", "<td>5.4000</td>", "snd (other scales) are in the table only")
        .doesNotContain(">snd</text>")
        .contains("epoch 0", "epoch 2", "<td>1.500</td>", "2 of 4 target test pictures")
        .contains("promoted 2026-01-01T00:00:00Z by policy <code>final</code>")
        .doesNotContain("promoted by hand")
        .contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", "b <span class=\"truth\">(a)");
    // accuracy, 2 confusion matrices, per-class, 2 epochs x (domain, class), proxy A-distance
    assertThat(page.split("<svg class=\"figure\"", -1).length - 1).isEqualTo(9);
  }

  @Test
  void aCardOfOldNamesNoRequesterAndSaysUnknown() {
    ObjectNode card = JsonNodeFactory.instance.objectNode();
    card.put("method", "dann");
    assertThat(ReportPage.render(report(card, List.of()), null))
        .contains("<th>requested by</th><td>unknown</td>")
        .contains("<th>framing</th><td>not recorded</td>");
  }

  @Test
  void aReportWithoutCardOrFeaturesSaysSo() {
    ModelReport r = report(null, List.of());
    ModelReport bare = new ModelReport(r.modelName(), r.version(), r.jobId(), r.bundleKey(),
        r.sha256(), r.policy(), r.promotedAt(), null, "s", "t", List.of(), CLASSES, r.source(),
        r.target(), List.of(), List.of(), List.of(), 0, r.computedAt(), r.seconds(), null, null,
        null);
    String page = ReportPage.render(bare, null);
    assertThat(page).contains("this bundle has no model card", "no epoch was evaluated",
        "not available: this model's graph names no features",
        "<code>/datasets/s/preview</code> on data-service",
        "<b>Before adaptation</b>: no reference in this report");
  }

  /**
   * The proxy A-distance before adaptation names its reference, kind and model, and heads the
   * table and the chart, before the first evaluated epoch (which is already adapted).
   */
  @Test
  void theBeforeAdaptationDistanceNamesItsReference() {
    String page = ReportPage.render(report(null, List.of()), null);
    assertThat(page).contains("<b>Before adaptation</b>: reference <code>source-phase</code>, "
        + "the source-only network of this job&#39;s pre-training: this job&#39;s source-only "
        + "network at the end of adda&#39;s source pre-training (epoch 4).")
        .contains("<tr><td>before adaptation (the source-only network of this job&#39;s "
            + "pre-training)</td><td>1.900</td><td>0.025</td><td>500</td></tr>"
            + "<tr><td>epoch 0 (first evaluated)</td><td>1.500</td>")
        .contains("<tr><td>epoch 2 (promoted)</td><td>0.400</td>");
    int table = page.indexOf("<td>before adaptation");
    assertThat(table).isLessThan(page.indexOf("<td>epoch 0 (first evaluated)"));
    for (var kind : Map.of(ModelReport.SOURCE_ONLY_MODEL, "a source-only model of the same "
        + "domains", ModelReport.INPUT_PIXELS, "the input pixels, no model").entrySet()) {
      ModelReport r = report(null, List.of());
      ModelReport other = new ModelReport(r.modelName(), r.version(), r.jobId(), r.bundleKey(),
          r.sha256(), r.policy(), r.promotedAt(), null, "s", "t", List.of(), CLASSES, r.source(),
          r.target(), r.embeddings(), r.distances(), List.of(), 0, r.computedAt(), r.seconds(),
          new ModelReport.Reference(kind.getKey(), "described", null, 1.2, 0.2, 500), null, null);
      assertThat(ReportPage.render(other, null)).contains("reference <code>" + kind.getKey()
          + "</code>, " + kind.getValue() + ": described.", "<td>before adaptation ("
          + kind.getValue() + ")</td><td>1.200</td>");
    }
  }
}
