package dev.finops.examples.cli;

import dev.finops.core.catalog.CatalogException;
import dev.finops.core.pricing.PricingException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code finops} command line ({@code java -jar finops.jar COMMAND ...}). Each subcommand is a
 * {@link Command} registered in {@link #COMMANDS}; this class picks one, handles {@code --help}, and
 * turns errors into one line on stderr and an {@link ExitCode}.
 */
public final class FinOpsCli {

  /** The subcommands, in the order the usage lists them. Add new ones here. */
  static final List<Command> COMMANDS =
      List.of(new DemoCommand(), new PriceCommand(), new GpuCostCommand(), new CatalogCommand(), new GpusCommand(),
          new AllocateCommand(), new RunSimCommand(), new RunReportCommand(), new ReportCommand(), new AdviseCommand());

  private static final Map<String, Command> BY_NAME = new LinkedHashMap<>();

  static {
    for (Command c : COMMANDS) {
      BY_NAME.put(c.name(), c);
    }
  }

  private FinOpsCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The general usage text: the commands and the exit codes. */
  public static String usage() {
    StringBuilder sb = new StringBuilder("usage: finops COMMAND [OPTIONS]\n\ncommands:\n");
    for (Command c : COMMANDS) {
      sb.append(String.format("  %-10s  %s\n", c.name(), c.summary()));
    }
    return sb.append("\n")
        .append("Run 'finops COMMAND --help' for a command's options. Amounts are exact decimals.\n")
        .append("\n")
        .append("exit codes: 0 ok, 1 internal error, 2 bad arguments or input, 3 unknown model or instance type\n")
        .append("            (or no price at the date asked for), 4 bad price catalog, 5 no GPU (NVML unavailable)\n")
        .toString();
  }

  /**
   * Runs the command line and returns its exit code; what {@link #main} and tests call.
   *
   * @param out where results and requested help go
   * @param err where errors go, one line each, prefixed {@code "finops: "}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return ExitCode.USAGE;
    }
    String name = args[0];
    if (isHelp(name) || name.equals("help")) {
      return help(args.length > 1 ? args[1] : null, out, err);
    }
    Command command = BY_NAME.get(name);
    if (command == null) {
      return fail(err, ExitCode.USAGE, "unknown command '" + name + "' (commands: " + String.join(", ", BY_NAME.keySet())
          + "; see 'finops --help')");
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.stream().anyMatch(FinOpsCli::isHelp)) {
      out.print(command.usage());
      return ExitCode.OK;
    }
    try {
      return command.run(rest, out, err);
    } catch (CliException e) {
      String hint = e.exitCode() == ExitCode.USAGE ? " (see 'finops " + name + " --help')" : "";
      return fail(err, e.exitCode(), e.getMessage() + hint);
    } catch (CatalogException e) {
      return fail(err, ExitCode.BAD_CATALOG, "bad price catalog: " + e.getMessage());
    } catch (PricingException e) {
      return fail(err, ExitCode.NO_PRICE, e.getMessage());
    } catch (RuntimeException e) {
      err.println("finops: internal error: " + e);
      e.printStackTrace(err);
      return ExitCode.INTERNAL_ERROR;
    }
  }

  private static int help(String commandName, PrintStream out, PrintStream err) {
    if (commandName == null) {
      out.print(usage());
      return ExitCode.OK;
    }
    Command c = BY_NAME.get(commandName);
    if (c == null) {
      return fail(err, ExitCode.USAGE, "unknown command '" + commandName + "'");
    }
    out.print(c.usage());
    return ExitCode.OK;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static int fail(PrintStream err, int code, String message) {
    err.println("finops: " + message);
    return code;
  }
}
