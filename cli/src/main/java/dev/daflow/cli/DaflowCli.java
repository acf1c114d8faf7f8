package dev.daflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code daflow} command: use the DAFlow platform (start it locally, request and follow
 * training jobs, classify pictures over HTTP, run the whole flow as a demo), or train, evaluate
 * and use domain-adapted digit classifiers on this machine ({@code daflow local ...}).
 *
 * <p>Exit codes: {@code 0} success; {@code 1} an unexpected internal error, or a job that failed,
 * was cancelled or rejected ({@code watch}, {@code train --watch}), or a demo below its bar; {@code
 * 2} a usage error, a bad value, an I/O problem or a service's refusal (one {@code daflow: error:
 * ...} line on stderr, the stack trace only with {@code --verbose}); {@code 130} interrupted
 * (Ctrl-C).
 */
@Command(
    name = "daflow",
    mixinStandardHelpOptions = true,
    versionProvider = DaflowCli.Version.class,
    description = {"Unsupervised domain adaptation of digit classifiers (DANN, ADDA).",
        "",
        "The platform commands find Kafka and the services from their options, else the"
            + " environment (KAFKA_BOOTSTRAP_SERVERS, DAFLOW_DATA_URL, DAFLOW_TRAINER_URL,"
            + " DAFLOW_EVALUATOR_URL, DAFLOW_INFERENCE_URL), else runs/local/stack.env, which"
            + " 'daflow stack' writes."},
    subcommands = {
        DemoCommand.class,
        StackCommand.class,
        IngestCommand.class,
        TrainRequestCommand.class,
        WatchCommand.class,
        JobsCommand.class,
        CancelCommand.class,
        ClassifyCommand.class,
        ReportCommand.class,
        DatasetsCommand.class,
        LocalCommand.class,
        BenchPlatformCommand.class,
        BenchTrainerCommand.class,
        CommandLine.HelpCommand.class
    })
public final class DaflowCli implements Runnable {
  /** Exit code of a usage error, a bad value or an I/O failure. */
  public static final int EXIT_USAGE = 2;
  /** Exit code of an unexpected internal error. */
  public static final int EXIT_INTERNAL = 1;
  /** Exit code of a run interrupted by Ctrl-C (128 + SIGINT). */
  public static final int EXIT_INTERRUPTED = 130;

  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    QuietStdout.install();
    System.exit(commandLine().execute(args));
  }

  /** A command line with DAFlow's error reporting ({@code daflow: error: ...}, exit code 2). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new DaflowCli());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Errors::handleParameterException);
    cl.setExecutionExceptionHandler(Errors::handleExecutionException);
    return cl;
  }

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar manifest (falls back to "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DaflowCli.class.getPackage().getImplementationVersion();
      return new String[] {"daflow " + (v == null ? "dev" : v)};
    }
  }
}
