package dev.daflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.local.Services.Service;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow jobs}: the training jobs trainer-service knows ({@code GET /jobs}, newest first),
 * as a table.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true, sortOptions = false,
    description = "List training jobs, newest first (trainer-service: GET /jobs).")
final class JobsCommand extends DaflowCommand {

  @Option(names = "--json", description = "Print trainer-service's JSON as it is.")
  boolean json;

  @Option(names = "--trainer-url", paramLabel = "URL",
      description = "trainer-service's base URL. Default: $DAFLOW_TRAINER_URL, else stack.env.")
  URI trainerUrl;

  @Mixin
  Endpoints endpoints;

  @Override
  int execute() throws Exception {
    ServiceClient trainer = endpoints.client(Service.TRAINER, trainerUrl, Duration.ofSeconds(30));
    ServiceClient.Reply r = ServiceClient.require(trainer.get("jobs"), 200);
    if (json) {
      out().println(r.body());
      return 0;
    }
    JsonNode jobs = r.json();
    if (jobs == null || !jobs.isArray()) {
      throw new IllegalStateException("trainer-service answered GET /jobs with no list of jobs: "
          + r.errorMessage());
    }
    if (jobs.isEmpty()) {
      out().println("no jobs");
      return 0;
    }
    out().print(table(jobs));
    return 0;
  }

  /** A column: its header and how a job's JSON (trainer-service's JobView) fills it. */
  private record Column(String header, Function<JsonNode, String> value) {}

  private static final List<Column> COLUMNS = List.of(
      new Column("JOB", j -> text(j, "jobId")),
      new Column("STATE", j -> text(j, "state")),
      new Column("MODEL", j -> or(text(j, "modelName"), text(j.path("request"), "modelName"))),
      new Column("METHOD", j -> text(j.path("request"), "method")),
      new Column("DATA", j -> j.path("request").hasNonNull("source")
          ? text(j.path("request"), "source") + "->" + text(j.path("request"), "target") : "-"),
      new Column("NETWORK", j -> or(text(j, "network"), text(j.path("request"), "network"))),
      new Column("EPOCHS", JobsCommand::epochs),
      new Column("UPDATED", j -> time(text(j, "updatedAt"))),
      new Column("ERROR", j -> text(j, "error")));

  /**
   * The jobs as an aligned text table: job, state, model, method, datasets, network, epochs done
   * (with the live step of a running job), last update and error; {@code -} where unknown.
   */
  static String table(JsonNode jobs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(COLUMNS.stream().map(Column::header).toArray(String[]::new));
    for (JsonNode job : jobs) {
      rows.add(COLUMNS.stream().map(c -> clip(c.value().apply(job))).toArray(String[]::new));
    }
    int[] width = new int[COLUMNS.size()];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : "  ").append(row[i])
            .append(" ".repeat(width[i] - row[i].length()));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** {@code 2/3}: epochs done of all; a running job adds its epoch and step in progress. */
  private static String epochs(JsonNode j) {
    JsonNode p = j.path("progress");
    if (p.isObject()) {
      return String.format(Locale.ROOT, "%d/%d (epoch %d step %d/%d)", p.path("epochsDone")
          .asInt(), p.path("totalEpochs").asInt(), p.path("epoch").asInt() + 1,
          p.path("step").asInt() + 1, p.path("stepsPerEpoch").asInt());
    }
    int total = j.path("totalEpochs").asInt(0);
    if (total <= 0) {
      return "-";
    }
    int done = j.hasNonNull("epoch") ? j.get("epoch").asInt() + 1 : 0;
    return done + "/" + total;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() || v.isContainerNode() ? "-" : v.asText();
  }

  private static String or(String a, String b) {
    return "-".equals(a) ? b : a;
  }

  /** {@code 2026-11-24T10:00:00.123456Z} -> {@code 2026-11-24 10:00:00}. */
  private static String time(String iso) {
    return iso.length() >= 19 && iso.charAt(10) == 'T'
        ? iso.substring(0, 10) + " " + iso.substring(11, 19) : iso;
  }

  private static String clip(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }
}
