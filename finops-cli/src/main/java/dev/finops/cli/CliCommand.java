package dev.finops.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command of the {@code finops} command line: a picocli {@code @Command} whose options are annotated
 * fields, run by {@link FinOpsCli}. A command writes its result to {@link #out}; it reports user errors by
 * throwing {@link CliException} with their exit code, and {@link FinOpsCli} maps the core's exceptions
 * ({@code CatalogException} to {@link ExitCode#BAD_CATALOG}, {@code PricingException} to {@link
 * ExitCode#NO_PRICE}) and prints each as one line on {@link #err}.
 */
abstract class CliCommand implements Callable<Integer> {

  /** Where results go; set by {@link FinOpsCli}'s factory. */
  PrintStream out = System.out;
  /** Where warnings and progress go; set by {@link FinOpsCli}'s factory. */
  PrintStream err = System.err;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Override
  public final Integer call() {
    return run();
  }

  /** Runs the command; returns its exit code ({@link ExitCode#OK} on success). */
  abstract int run();
}
