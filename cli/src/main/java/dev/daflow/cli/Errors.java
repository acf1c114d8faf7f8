package dev.daflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one {@code daflow: error: ...} line on stderr and an exit code: {@link
 * DaflowCli#EXIT_USAGE} for what the user can fix (bad arguments or values, missing or unreadable
 * files), {@link DaflowCli#EXIT_INTERNAL} for anything else.
 */
final class Errors {
  private Errors() {}

  /**
   * Reports {@code e} on {@code err} and returns the exit code.
   *
   * @param verbose also print the stack trace
   */
  static int report(PrintWriter err, Exception e, boolean verbose) {
    boolean user = isUserError(e);
    String message = message(e);
    if (!user) {
      message = "internal error: " + e.getClass().getName() + ": " + message
          + (verbose ? "" : " (run with --verbose for the stack trace)");
    }
    err.println("daflow: error: " + message);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return user ? DaflowCli.EXIT_USAGE : DaflowCli.EXIT_INTERNAL;
  }

  private static String message(Exception e) {
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "file already exists: " + f.getFile();
    }
    return e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Errors caused by arguments, values or files, as opposed to bugs. */
  static boolean isUserError(Throwable e) {
    return e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof IOException
        || e instanceof UncheckedIOException;
  }

  /** Picocli hook for bad command lines: one line, a hint, exit code 2. */
  static int handleParameterException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("daflow: error: " + ex.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    }
    err.flush();
    return DaflowCli.EXIT_USAGE;
  }

  /** Picocli hook for exceptions escaping a command. */
  static int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    return report(cl.getErr(), ex, verboseRequested(parsed));
  }

  private static boolean verboseRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
