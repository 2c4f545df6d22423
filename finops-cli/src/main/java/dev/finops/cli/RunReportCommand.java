package dev.finops.cli;

import dev.finops.core.journal.JournalException;
import dev.finops.core.journal.RunJournal;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code finops run-report}: a journaled training run's totals, read from its journal without
 * changing it (safe while the run writes): steps, GPU time, exact cost, attempts, interruptions, lost
 * work, restarts, and spot against on-demand.
 */
@Command(name = "run-report", description = {"a journaled training run's totals: steps, GPU time, cost, attempts",
    "",
    "Reads the journal of a training run (as written by run-sim or a TrainingRun with a journal) without changing "
        + "it, and prints its totals: steps, GPU time, exact cost, attempts and interruptions, GPU time lost to "
        + "interruptions and spent restarting, and for spot capacity what the same work would have cost on demand."})
final class RunReportCommand extends CliCommand {

  static final String JOURNAL = "--journal";
  static final String RUN_ID = "--run-id";

  /** {@code --journal DIR --run-id ID}: one journaled run. */
  static final class Run {
    @Option(names = JOURNAL, paramLabel = "DIR", required = true,
        description = "the journal directory (the run's files are in DIR/ID)")
    Path dir;

    @Option(names = RUN_ID, paramLabel = "ID", required = true, description = "the run")
    String id;
  }

  @Mixin
  Run journal;

  @Mixin
  CommonOptions.Json json;

  @Override
  int run() {
    RunJournal.Contents contents = read(journal.dir, journal.id);
    if (json.json) {
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
