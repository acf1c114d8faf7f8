package dev.daflow.cli;

import dev.daflow.local.ChildProcess;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code daflow stack}: the platform on this machine until Ctrl-C: a Kafka broker (KRaft) and an
 * S3 server (S3Proxy), then data-, trainer-, evaluator- and inference-service, each its own
 * process, logs in {@code <root>/logs}, endpoints in {@code <root>/stack.env} (which the other
 * commands read). Ctrl-C stops everything, services first. ({@code bin/local-stack} starts the
 * broker and the S3 server only.)
 */
@Command(name = "stack", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the platform locally until Ctrl-C: Kafka (KRaft), S3Proxy and the four"
        + " services, each its own process.",
        "Logs go to ROOT/logs; ROOT/stack.env holds the endpoints the other commands use."
            + " Ports are free ones (DAFLOW_LOCAL_KAFKA_PORT, DAFLOW_LOCAL_S3_PORT fix Kafka's"
            + " and S3's)."})
final class StackCommand extends DaflowCommand {

  @Option(names = "--root", paramLabel = "DIR",
      description = "The stack's folder (data, logs, stack.env). Default: runs/local in the"
          + " repository.")
  Path root;

  @Mixin
  DatasetOptions datasets;

  private volatile boolean stopping;

  /** The root in use. */
  Path root() {
    return (root != null ? root : Repository.resolve(Endpoints.DEFAULT_STACK_ROOT))
        .toAbsolutePath().normalize();
  }

  @Override
  int execute() throws Exception {
    LocalPlatform platform = LocalPlatform.start(root(), datasets.mirror(), datasets.cache, out());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopping = true;
      out().println("stopping the platform ...");
      out().flush();
      platform.close();
      out().println("stopped");
      out().flush();
      stopped.countDown();
    }, "daflow-stack-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out().println("Ctrl-C stops everything. Try: bin/daflow ingest mnist usps; bin/daflow train"
        + " --method dann --source mnist --target usps --epochs 3 --watch");
    out().flush();
    while (true) {
      ChildProcess dead = platform.deadProcess();
      if (dead != null && !stopping) {
        // Ctrl-C in a terminal signals the children too: give our own hook time to start.
        Thread.sleep(1000);
        if (!stopping) {
          err().println("daflow: error: " + dead.died("running").getMessage());
          err().flush();
          Runtime.getRuntime().removeShutdownHook(hook);
          platform.close();
          return DaflowCli.EXIT_INTERNAL;
        }
      }
      if (stopping) {
        stopped.await();
        return DaflowCli.EXIT_INTERRUPTED;
      }
      Thread.sleep(1000);
    }
  }
}
