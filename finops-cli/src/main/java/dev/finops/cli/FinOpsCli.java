package dev.finops.cli;

import dev.finops.core.catalog.CatalogException;
import dev.finops.core.pricing.PricingException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The {@code finops} command line ({@code java -jar finops.jar COMMAND ...}) on picocli: each subcommand is
 * a picocli {@code @Command} class listed here, its options typed fields, its help generated from them. This
 * class builds the {@link CommandLine} and maps every error to one line on stderr ({@code "finops: "} and a
 * message naming the option, file, line or field) and an {@link ExitCode}.
 */
@Command(name = "finops", customSynopsis = "finops COMMAND [OPTIONS]",
    description = {"Exact cost accounting for AI: tokens, GPU time, price catalogs, journaled runs and advice.",
        "Run 'finops COMMAND --help' for a command's options. Amounts are exact decimals."},
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {"0:ok", "1:internal error (a bug; a stack trace is printed)", "2:bad arguments or input",
        "3:unknown model or instance type, or no price at the date asked for", "4:bad price catalog",
        "5:no GPU (NVML unavailable)"})
public final class FinOpsCli extends CliCommand {

  /** The commands, in the order the help lists them. Add new ones here. */
  private static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, PriceCommand.class,
      GpuCostCommand.class, CatalogCommand.class, GpusCommand.class, AllocateCommand.class, RunSimCommand.class,
      RunReportCommand.class, ReportCommand.class, AdviseCommand.class, CommandLine.HelpCommand.class);

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command line and returns its exit code; what {@link #main} and tests call.
   *
   * @param out where results and requested help go
   * @param err where errors go, one line each, prefixed {@code "finops: "}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = commandLine(out, err, args.length == 0 ? null : args[0]);
    try {
      return cli.execute(args);
    } finally {
      cli.getOut().flush();
      cli.getErr().flush();
    }
  }

  /** The whole command line, its commands writing to {@code out} and {@code err}. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    return commandLine(out, err, null);
  }

  /**
   * The command line with only the command named {@code first} when there is one by that name (picocli reads
   * each command's annotations when it is added: a journaled run that may be killed any moment starts sooner),
   * all of them otherwise.
   */
  private static CommandLine commandLine(PrintStream out, PrintStream err, String first) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        K k = CommandLine.defaultFactory().create(cls);
        if (k instanceof CliCommand c) {
          c.out = out;
          c.err = err;
        }
        return k;
      }
    };
    CommandLine cli = new CommandLine(FinOpsCli.class, factory);
    boolean known = !"help".equals(first) && COMMANDS.stream().anyMatch(c -> name(c).equals(first));
    for (Class<?> c : COMMANDS) {
      if (!known || name(c).equals(first)) {
        cli.addSubcommand(new CommandLine(c, factory));
      }
    }
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.registerConverter(String.class, Converters.nonBlank(s -> s));
    cli.registerConverter(Path.class, Converters.nonBlank(Path::of));
    cli.setExecutionExceptionHandler(FinOpsCli::executionFailure);
    cli.setParameterExceptionHandler(FinOpsCli::badArguments);
    configureHelp(cli);
    return cli;
  }

  /** The same help layout everywhere: options in the order declared, headings in lower case. */
  private static void configureHelp(CommandLine cli) {
    cli.setUsageHelpLongOptionsMaxWidth(32);
    cli.setUsageHelpWidth(100);
    CommandSpec spec = cli.getCommandSpec();
    spec.usageMessage().synopsisHeading("usage: ").descriptionHeading("%n").parameterListHeading("%narguments:%n")
        .optionListHeading("%noptions:%n").commandListHeading("%ncommands:%n").sortOptions(false)
        .sortSynopsis(false);
    for (CommandLine sub : cli.getSubcommands().values()) {
      configureHelp(sub);
    }
  }

  private static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  @Override
  int run() {
    // 'finops' alone: the usage, on stderr, as a usage error.
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  private static int executionFailure(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof CliException c) {
      return fail(err, c.exitCode(), c.getMessage() + (c.exitCode() == ExitCode.USAGE ? seeHelp(cl) : ""));
    }
    if (e instanceof CatalogException) {
      return fail(err, ExitCode.BAD_CATALOG, "bad price catalog: " + e.getMessage());
    }
    if (e instanceof PricingException) {
      return fail(err, ExitCode.NO_PRICE, e.getMessage());
    }
    err.println("finops: internal error: " + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCode.INTERNAL_ERROR;
  }

  /** A bad command line: one line naming the argument, exit {@link ExitCode#USAGE}. */
  private static int badArguments(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    return fail(cl.getErr(), ExitCode.USAGE, problem(e, cl.getCommandSpec()));
  }

  /** The message of a bad command line, in the words of every other finops error. */
  private static String problem(ParameterException e, CommandSpec spec) {
    String hint = seeHelp(spec.commandLine());
    // An unknown argument first, as it may be a misspelt option the command says is missing.
    List<String> unmatched = e instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
        : e.getCommandLine().getUnmatchedArguments();
    if (!unmatched.isEmpty()) {
      String arg = unmatched.get(0);
      if (arg.startsWith("-") && arg.length() > 1) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return "unknown option '" + name + "'" + suggestion(spec, name) + hint;
      }
      if (!spec.subcommands().isEmpty()) {
        List<String> names = subcommandNames(spec);
        if (spec.parent() == null) {
          return "unknown command '" + arg + "' (commands: " + String.join(", ", names) + "; see 'finops --help')";
        }
        return spec.name() + ": unknown subcommand '" + arg + "' (" + spec.name() + " " + orList(names) + ")" + hint;
      }
      return "unexpected argument '" + arg + "'" + hint;
    }
    if (e instanceof CommandLine.MissingParameterException m) {
      List<String> names = new ArrayList<>();
      for (ArgSpec a : m.getMissing()) {
        names.add(label(a));
      }
      String picocli = String.valueOf(e.getMessage());
      if (picocli.startsWith("Missing required parameter for option") || picocli.startsWith("Expected parameter")) {
        return String.join(", ", names) + ": missing value" + hint;
      }
      return "missing required " + (m.getMissing().get(0).isOption() ? "option " : "argument ")
          + String.join(" and ", names) + hint;
    }
    if (e instanceof CommandLine.OverwrittenOptionException o) {
      return label(o.getOverwritten()) + ": given more than once" + hint;
    }
    if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
      return String.join(" and ", exclusiveMatches(spec, e.getCommandLine().getParseResult())) + ": give one, not both"
          + hint;
    }
    ArgSpec arg = e.getArgSpec();
    if (arg != null) {
      if (arg.isOption() && (arg.type() == boolean.class || arg.type() == Boolean.class)) {
        return label(arg) + ": takes no value, got '" + e.getValue() + "'" + hint;
      }
      if (e.getCause() instanceof CommandLine.TypeConversionException t) {
        return label(arg) + ": " + t.getMessage() + hint;
      }
    }
    return e.getMessage() + hint;
  }

  private static String seeHelp(CommandLine cl) {
    return " (see '" + cl.getCommandSpec().qualifiedName() + " --help')";
  }

  private static String label(ArgSpec a) {
    return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
  }

  /** The subcommands' names, {@code help} left out. */
  static List<String> subcommandNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (String n : spec.subcommands().keySet()) {
      if (!n.equals("help")) {
        names.add(n);
      }
    }
    return names;
  }

  /** {@code a, b or c}. */
  static String orList(List<String> names) {
    if (names.size() < 2) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  /** Options whose name one is the start of the other's: the likely meant. */
  private static String suggestion(CommandSpec spec, String name) {
    List<String> close = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      String known = o.longestName();
      if (known.startsWith("--") && (known.startsWith(name) || name.startsWith(known))) {
        close.add(known);
      }
    }
    return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
  }

  /** The options given from the exclusive group of which more than one was given. */
  private static List<String> exclusiveMatches(CommandSpec spec, ParseResult parsed) {
    for (ArgGroupSpec group : spec.argGroups()) {
      if (!group.exclusive() || parsed == null) {
        continue;
      }
      List<String> given = new ArrayList<>();
      for (OptionSpec o : group.options()) {
        if (parsed.hasMatchedOption(o)) {
          given.add(label(o));
        }
      }
      if (given.size() > 1) {
        return given;
      }
    }
    return List.of("these options");
  }

  private static int fail(PrintWriter err, int code, String message) {
    err.println("finops: " + message);
    err.flush();
    return code;
  }
}
