package dev.finops.examples.cli;

import dev.finops.core.journal.JournalException;
import dev.finops.core.journal.RunJournal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code finops run-report}: a journaled training run's totals, read from its journal without
 * changing it (safe while the run writes): steps, GPU time, exact cost, attempts, interruptions, lost
 * work, restarts, and spot against on-demand.
 */
final class RunReportCommand implements Command {

  static final String JOURNAL = "--journal";
  static final String RUN_ID = "--run-id";
  private static final ArgSpec SPEC = new ArgSpec().value(JOURNAL, RUN_ID).flag(CommonOptions.JSON);

  @Override
  public String name() {
    return "run-report";
  }

  @Override
  public String summary() {
    return "a journaled training run's totals: steps, GPU time, cost, attempts";
  }

  @Override
  public String usage() {
    return "usage: finops run-report --journal DIR --run-id ID [--json]\n"
        + "\n"
        + "Reads the journal of a training run (as written by run-sim or a TrainingRun with a journal)\n"
        + "without changing it, and prints its totals: steps, GPU time, exact cost, attempts and\n"
        + "interruptions, GPU time lost to interruptions and spent restarting, and for spot capacity what\n"
        + "the same work would have cost on demand.\n"
        + "\n"
        + CommonOptions.ownOptionsHelp(
            JOURNAL + " DIR", "the journal directory (the run's files are in DIR/ID)",
            RUN_ID + " ID", "the run",
            CommonOptions.JSON, "print one JSON object instead of text");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    RunJournal.Contents contents = read(Path.of(args.required(JOURNAL)), args.required(RUN_ID));
    if (CommonOptions.json(args)) {
      Formats.printJson(out, RunFigures.json(contents));
    } else {
      RunFigures.printText(contents, out);
    }
    return ExitCode.OK;
  }

  /** The run's journal, or a bad-argument error naming the run and the directory. */
  static RunJournal.Contents read(Path dir, String runId) {
    try {
      if (!RunJournal.exists(dir, runId)) {
        throw CliException.usage(RUN_ID + ": no journal of run '" + runId + "' under " + dir);
      }
      return RunJournal.read(dir, runId);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(RUN_ID + ": " + e.getMessage());
    } catch (JournalException e) {
      throw journalProblem(e);
    }
  }

  /** A journal that cannot be created, read or written: bad input (exit 2), named with its path. */
  static CliException journalProblem(JournalException e) {
    return new CliException(ExitCode.USAGE, "--journal: " + e.getMessage());
  }
}
