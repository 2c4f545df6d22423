package dev.finops.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options one command accepts, and the hand-rolled parser for them. Options are {@code --name
 * value} or {@code --name=value}; a value may start with one dash ({@code -5}, which the command then
 * rejects with a clear message) but not with two. Anything not starting with {@code --} is a
 * positional argument; {@code --} ends the options.
 */
final class ArgSpec {

  enum Kind {
    /** Takes a value, at most once. */
    VALUE,
    /** Takes a value, any number of times, in order. */
    REPEATABLE,
    /** Takes no value. */
    FLAG
  }

  private final Map<String, Kind> options = new LinkedHashMap<>();
  private int maxPositionals;

  ArgSpec value(String... names) {
    return add(Kind.VALUE, names);
  }

  ArgSpec repeatable(String... names) {
    return add(Kind.REPEATABLE, names);
  }

  ArgSpec flag(String... names) {
    return add(Kind.FLAG, names);
  }

  /** How many positional arguments the command takes (none by default). */
  ArgSpec positionals(int max) {
    this.maxPositionals = max;
    return this;
  }

  private ArgSpec add(Kind kind, String... names) {
    for (String n : names) {
      if (!n.startsWith("--") || options.put(n, kind) != null) {
        throw new IllegalArgumentException("bad or duplicate option name: " + n);
      }
    }
    return this;
  }

  /**
   * Parses {@code args}.
   *
   * @throws CliException ({@link ExitCode#USAGE}) naming the offending argument
   */
  Args parse(List<String> args) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || !arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Kind kind = options.get(name);
      if (kind == null) {
        throw CliException.usage("unknown option '" + name + "'" + suggestion(name));
      }
      String value;
      if (kind == Kind.FLAG) {
        if (eq >= 0) {
          throw CliException.usage(name + ": takes no value, got '" + arg.substring(eq + 1) + "'");
        }
        value = "";
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw CliException.usage(name + ": missing value");
      }
      if (kind != Kind.FLAG && value.isBlank()) {
        throw CliException.usage(name + ": empty value");
      }
      List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>(1));
      if (!list.isEmpty() && kind != Kind.REPEATABLE) {
        throw CliException.usage(name + ": given more than once");
      }
      list.add(value);
    }
    if (positional.size() > maxPositionals) {
      throw CliException.usage("unexpected argument '" + positional.get(maxPositionals) + "'");
    }
    return new Args(values, positional);
  }

  private String suggestion(String name) {
    List<String> close = new ArrayList<>();
    for (String known : options.keySet()) {
      if (known.startsWith(name) || name.startsWith(known)) {
        close.add(known);
      }
    }
    return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
  }
}
