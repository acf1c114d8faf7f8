package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daflow.contract.Tuning;
import dev.daflow.events.TrainingRequested;
import dev.daflow.local.Services.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The platform commands' parsing and their pieces that need no running platform. */
class PlatformCommandsTest {

  @Test
  void topLevelHelpListsThePlatformCommandsAndLocal() {
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("demo").contains("stack").contains("ingest").contains("train")
        .contains("watch").contains("jobs").contains("cancel").contains("classify")
        .contains("local").contains("stack.env");
    CliRun local = CliRun.of("local", "--help");
    assertThat(local.exitCode()).isZero();
    assertThat(local.out()).contains("train").contains("evaluate").contains("predict")
        .contains("info");
  }

  @Test
  void trainOptionsBecomeTheTrainingRequest() {
    TrainRequestCommand train = parse(TrainRequestCommand.class, "train", "--method", "dann",
        "--source", "mnist", "--target", "usps");
    assertThat(train.request("j1")).isEqualTo(new TrainingRequested("j1", null, "dann", "mnist",
        "usps", null, 10, 128, null, null, "none", 42, 0));
    assertThat(train.watch).isFalse();

    TrainRequestCommand all = parse(TrainRequestCommand.class, "train", "--method", "ADDA",
        "--source", "mnist", "--target", "usps", "--network", "lenet", "--epochs", "3",
        "--pretrain-epochs", "2", "--batch-size", "64", "--lr", "0.001", "--augment", "colour",
        "--seed", "7", "--train-limit", "5000", "--model", "digits", "--job-id", "my-job",
        "--watch", "--kafka", "127.0.0.1:9092");
    assertThat(all.request(all.jobId)).isEqualTo(new TrainingRequested("my-job", "digits", "adda",
        "mnist", "usps", "lenet", 3, 64, 0.001, 2, "colour", 7, 5000));
    assertThat(all.watch).isTrue();
    assertThat(all.kafka).isEqualTo("127.0.0.1:9092");

    TrainRequestCommand tuned = parse(TrainRequestCommand.class, "train", "--method", "dann",
        "--source", "mnist64", "--target", "mnist64-bg", "--solver", "adam", "--clip-norm", "0",
        "--lambda-max", "0.5");
    assertThat(tuned.request("j2").tuning())
        .isEqualTo(new Tuning.Request("adam", 0.0, 0.5));
    TrainRequestCommand clip = parse(TrainRequestCommand.class, "train", "--method", "adda",
        "--source", "mnist", "--target", "usps", "--clip-norm", "5");
    assertThat(clip.request("j3").tuning())
        .isEqualTo(new Tuning.Request(null, 5.0, null));
  }

  @Test
  void trainRejectsBadValuesBeforePublishing() {
    CliRun method = CliRun.of("train", "--method", "cyclegan", "--source", "mnist", "--target",
        "usps");
    assertThat(method.exitCode()).isEqualTo(2);
    assertThat(method.err()).contains("method must be one of source-only, dann, adda, cdan,"
        + " cdan-e, mcc, shot-im, shot, mean-teacher; got 'cyclegan'").contains("daflow train --help");

    CliRun name = CliRun.of("train", "--method", "dann", "--source", "../etc", "--target", "usps");
    assertThat(name.exitCode()).isEqualTo(2);
    assertThat(name.err()).contains("bad name '../etc'");

    CliRun missing = CliRun.of("train", "--method", "dann", "--source", "mnist");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option").contains("--target");

    // Checked before any broker is looked for.
    CliRun pretrain = CliRun.of("train", "--method", "dann", "--source", "mnist", "--target",
        "usps", "--pretrain-epochs", "2", "--kafka", "127.0.0.1:1");
    assertThat(pretrain.exitCode()).isEqualTo(2);
    assertThat(pretrain.err().strip())
        .isEqualTo("daflow: error: --pretrain-epochs applies to adda, shot-im and shot only");
    CliRun epochs = CliRun.of("train", "--method", "dann", "--source", "mnist", "--target",
        "usps", "--epochs", "0", "--kafka", "127.0.0.1:1");
    assertThat(epochs.exitCode()).isEqualTo(2);
    assertThat(epochs.err()).contains("epochs must be in 1..10000, got 0");
    CliRun lambda = CliRun.of("train", "--method", "adda", "--source", "mnist", "--target",
        "usps", "--lambda-max", "0.5", "--kafka", "127.0.0.1:1");
    assertThat(lambda.exitCode()).isEqualTo(2);
    assertThat(lambda.err().strip())
        .isEqualTo("daflow: error: --lambda-max applies to dann, cdan and cdan-e only");
    CliRun solver = CliRun.of("train", "--method", "adda", "--source", "mnist", "--target",
        "usps", "--solver", "sgd", "--kafka", "127.0.0.1:1");
    assertThat(solver.exitCode()).isEqualTo(2);
    assertThat(solver.err()).contains("--solver applies to source-only, dann, cdan, cdan-e"
        + " and mcc only");
  }

  @Test
  void generatedJobIdsAreReadableValidAndDistinct() {
    Instant now = Instant.parse("2026-11-24T15:30:12Z");
    String a = TrainRequestCommand.newJobId("dann", "mnist", "usps", now);
    String b = TrainRequestCommand.newJobId("dann", "mnist", "usps", now);
    assertThat(a).matches("dann-mnist-usps-\\d{8}-\\d{6}-[0-9a-f]{4}");
    assertThat(TrainingRequested.NAME.matcher(a).matches()).isTrue();
    assertThat(a).isNotEqualTo(b);
    String longOne = TrainRequestCommand.newJobId("dann", "s".repeat(128), "t".repeat(128), now);
    assertThat(TrainingRequested.NAME.matcher(longOne).matches()).isTrue();
  }

  @Test
  void watchCancelClassifyIngestAndJobsParse() {
    WatchCommand watch = parse(WatchCommand.class, "watch", "job-1", "--timeout", "30m",
        "--promotion-wait", "90");
    assertThat(watch.jobId).isEqualTo("job-1");
    assertThat(watch.timeout).isEqualTo(Duration.ofMinutes(30));
    assertThat(watch.promotionWait).isEqualTo(Duration.ofSeconds(90));
    assertThat(parse(WatchCommand.class, "watch", "j").promotionWait)
        .isEqualTo(Duration.ofMinutes(5));
    CliRun badDuration = CliRun.of("watch", "j", "--timeout", "soon");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err()).contains("bad duration 'soon'");
    assertThat(CliRun.of("watch").err()).contains("Missing required parameter").contains("JOB");

    CancelCommand cancel = parse(CancelCommand.class, "cancel", "job-1", "--trainer-url",
        "http://127.0.0.1:8082");
    assertThat(cancel.jobId).isEqualTo("job-1");
    assertThat(cancel.trainerUrl).hasToString("http://127.0.0.1:8082");

    ClassifyCommand classify = parse(ClassifyCommand.class, "classify", "--model", "digits",
        "a.png", "b.jpg");
    assertThat(classify.model).isEqualTo("digits");
    assertThat(classify.files).containsExactly(Path.of("a.png"), Path.of("b.jpg"));
    assertThat(ClassifyCommand.contentType(Path.of("x/A.PNG"))).isEqualTo("image/png");
    assertThat(ClassifyCommand.contentType(Path.of("b.jpeg"))).isEqualTo("image/jpeg");
    assertThat(CliRun.of("classify", "a.png").err()).contains("--model");

    IngestCommand ingest = parse(IngestCommand.class, "ingest", "mnist", "usps");
    assertThat(ingest.names).containsExactly("mnist", "usps");
    assertThat(parse(JobsCommand.class, "jobs", "--json").json).isTrue();
  }

  @Test
  void stackAndDemoDefaults() {
    StackCommand stack = parse(StackCommand.class, "stack");
    assertThat(stack.root()).isEqualTo(Repository.root().resolve("runs/local"));
    assertThat(parse(StackCommand.class, "stack", "--root", "/tmp/x").root())
        .isEqualTo(Path.of("/tmp/x"));

    DemoCommand demo = parse(DemoCommand.class, "demo");
    assertThat(demo.root()).isEqualTo(Repository.root().resolve("runs/demo"));
    assertThat(demo.pictures).isEqualTo(200);
    assertThat(demo.request("j")).isEqualTo(new TrainingRequested("j", "digits", "dann", "mnist",
        "usps", "lenet", 3, 128, null, null, "none", 1, 0));
    DemoCommand small = parse(DemoCommand.class, "demo", "--epochs", "1", "--train-limit",
        "2000", "--pictures", "50", "--model", "m", "--seed", "3");
    assertThat(small.request("j")).isEqualTo(new TrainingRequested("j", "m", "dann", "mnist",
        "usps", "lenet", 1, 128, null, null, "none", 3, 2000));
  }

  @Test
  void anUnreachableServiceIsOneClearError() {
    CliRun jobs = CliRun.of("jobs", "--trainer-url", "http://127.0.0.1:1");
    assertThat(jobs.exitCode()).isEqualTo(2);
    assertThat(jobs.err()).startsWith("daflow: error: cannot reach trainer-service at"
        + " http://127.0.0.1:1/").contains("daflow stack");
  }

  @Test
  void classifyReadsProbabilitiesAsAnObjectOrAList() throws Exception {
    JsonNode object = ServiceClient.JSON.readTree("{\"model\":\"digits\",\"version\":2,"
        + "\"label\":\"7\",\"probabilities\":{\"1\":0.05,\"7\":0.9,\"9\":0.05}}");
    ClassifyCommand.Result r = ClassifyCommand.parse(object);
    assertThat(r.label()).isEqualTo("7");
    assertThat(r.probability()).isEqualTo(0.9);
    assertThat(r.version()).isEqualTo(2);
    assertThat(r.top(2)).extracting(java.util.Map.Entry::getKey).containsExactly("7", "1");

    JsonNode list = ServiceClient.JSON.readTree("{\"label\":\"2\",\"classNames\":[\"0\",\"1\","
        + "\"2\"],\"probabilities\":[0.1,0.2,0.7]}");
    assertThat(ClassifyCommand.parse(list).probability()).isEqualTo(0.7);
  }

  @Test
  void jobsTableShowsTrainerServicesJobViews() throws Exception {
    JsonNode jobs = ServiceClient.JSON.readTree("[{\"jobId\":\"a\",\"modelName\":\"digits\","
        + "\"state\":\"RUNNING\",\"network\":\"lenet\",\"epoch\":0,\"totalEpochs\":3,"
        + "\"error\":null,\"updatedAt\":\"2026-11-24T10:00:00.123Z\",\"request\":{\"method\":"
        + "\"dann\",\"source\":\"mnist\",\"target\":\"usps\"},\"progress\":{\"epochsDone\":1,"
        + "\"totalEpochs\":3,\"epoch\":1,\"step\":9,\"stepsPerEpoch\":469}},"
        + "{\"jobId\":\"bb\",\"state\":\"FAILED\",\"epoch\":null,\"totalEpochs\":3,"
        + "\"error\":\"boom\",\"request\":{\"modelName\":\"m\",\"method\":\"adda\","
        + "\"source\":\"usps\",\"target\":\"mnist\",\"network\":null}},{\"jobId\":\"q\","
        + "\"state\":\"QUEUED\",\"totalEpochs\":0}]");
    assertThat(JobsCommand.table(jobs)).isEqualTo(String.join("\n",
        "JOB  STATE    MODEL   METHOD  DATA         NETWORK  EPOCHS                     UPDATED"
            + "              ERROR",
        "a    RUNNING  digits  dann    mnist->usps  lenet    1/3 (epoch 2 step 10/469)"
            + "  2026-11-24 10:00:00  -",
        "bb   FAILED   m       adda    usps->mnist  -        0/3                        -"
            + "                    boom",
        "q    QUEUED   -       -       -            -        -                          -"
            + "                    -",
        ""));
  }

  @Test
  void serviceErrorsCarryTheServicesMessage() {
    ServiceClient.Reply r = new ServiceClient.Reply("trainer-service", "POST", "jobs/x/cancel",
        409, "{\"error\":\"job x already ended\",\"detail\":\"COMPLETED\"}");
    assertThatThrownBy(() -> ServiceClient.require(r, 200, 202))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trainer-service answered 409 to POST /jobs/x/cancel: job x already ended:"
            + " COMPLETED");
    assertThat(ServiceClient.segment("a b/ü")).isEqualTo("a%20b%2F%C3%BC");
    assertThat(Endpoints.optionName(Service.INFERENCE)).isEqualTo("--inference-url");
  }

  private static <T> T parse(Class<T> type, String... args) {
    CommandLine cl = DaflowCli.commandLine();
    CommandLine.ParseResult parsed = cl.parseArgs(args);
    return type.cast(parsed.subcommand().commandSpec().userObject());
  }
}
