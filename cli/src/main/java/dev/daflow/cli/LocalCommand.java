package dev.daflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code daflow local}: the commands that train, evaluate and use models on this machine with the
 * ML core, without the platform (no broker, no object store, no services).
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Train, evaluate and use models on this machine, without the platform.",
    subcommands = {
        TrainCommand.class,
        EvaluateCommand.class,
        PredictCommand.class,
        InfoCommand.class,
        CommandLine.HelpCommand.class
    })
final class LocalCommand implements Runnable {
  @Spec
  CommandSpec spec;

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
