package dev.finops.examples.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of the {@code finops} command line ({@code price}, {@code gpu-cost}, ...). To add
 * one, implement this interface and register it in {@link FinOpsCli#COMMANDS}.
 *
 * <p>A command writes its result to {@code out}. It reports user errors by throwing {@link
 * CliException} (with its exit code); {@link FinOpsCli} also maps the core's exceptions to exit codes
 * ({@code CatalogException} → {@link ExitCode#BAD_CATALOG}, {@code PricingException} → {@link
 * ExitCode#NO_PRICE}) and prints them as one line on {@code err}. {@code --help} and {@code -h} are
 * handled before the command runs.
 */
public interface Command {

  /** The word that selects the command ({@code "gpu-cost"}). */
  String name();

  /** One line for the list of commands in the general usage. */
  String summary();

  /** The full usage text, printed by {@code finops NAME --help}; ends with a newline. */
  String usage();

  /**
   * Runs the command.
   *
   * @param args the arguments after the command's name
   * @return the exit code ({@link ExitCode#OK} on success)
   */
  int run(List<String> args, PrintStream out, PrintStream err);
}
