package dev.daflow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One command-line run with its captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code args} on {@code cl}, capturing its output. */
  static CliRun of(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Runs {@code args} on the configured {@code daflow} command line. */
  static CliRun of(String... args) {
    return of(DaflowCli.commandLine(), args);
  }
}
