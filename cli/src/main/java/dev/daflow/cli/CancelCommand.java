package dev.daflow.cli;

import dev.daflow.local.Services.Service;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daflow cancel JOB}: asks trainer-service to stop a job ({@code POST /jobs/{id}/cancel}).
 * The job stops at its next step; its finished epochs' checkpoints stay, so requesting the same
 * job id again resumes it.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Cancel a training job (trainer-service: POST /jobs/{id}/cancel).")
final class CancelCommand extends DaflowCommand {

  @Parameters(index = "0", paramLabel = "JOB", converter = Converters.NameConverter.class,
      description = "The job id.")
  String jobId;

  @Option(names = "--trainer-url", paramLabel = "URL",
      description = "trainer-service's base URL. Default: $DAFLOW_TRAINER_URL, else stack.env.")
  URI trainerUrl;

  @Mixin
  Endpoints endpoints;

  @Override
  int execute() throws Exception {
    ServiceClient trainer = endpoints.client(Service.TRAINER, trainerUrl, Duration.ofSeconds(30));
    ServiceClient.Reply r = trainer.post("jobs/" + ServiceClient.segment(jobId) + "/cancel",
        "application/json", new byte[0]);
    if (r.status() == 404) {
      throw new IllegalArgumentException("trainer-service knows no job " + jobId + " ("
          + r.errorMessage() + ")");
    }
    ServiceClient.require(r, 200, 202, 204);
    String state = r.body().isBlank() ? "" : r.json().path("state").asText(
        r.json().path("status").asText(""));
    out().println("cancel requested for job " + jobId
        + (state.isBlank() ? "" : " (" + state + ")"));
    return 0;
  }
}
