package dev.daflow.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands: output writers of the command line, and error reporting that works
 * with any {@code CommandLine} (also one built without {@link DaflowCli#commandLine()}).
 */
abstract class DaflowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The command's work; exceptions become {@code daflow: error: ...} and exit code 1 or 2. */
  abstract int execute() throws Exception;

  @Override
  public final Integer call() {
    try {
      return execute();
    } catch (Exception e) {
      return Errors.report(err(), e, verbose());
    } finally {
      out().flush();
    }
  }

  /** Whether {@code --verbose} was given (an inherited option: its value lives in the root). */
  boolean verbose() {
    return spec.root().userObject() instanceof DaflowCli cli && cli.verbose;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
