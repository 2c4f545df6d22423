package dev.finops.cli;

import dev.finops.core.export.AtomicFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files the command line writes ({@code --output}, {@code --focus}): whole or not at all ({@link
 * AtomicFiles}), with a failure reported as a bad argument naming the option and the file.
 */
final class OutputFiles {

  private OutputFiles() {}

  /**
   * Writes {@code content} to {@code file} atomically.
   *
   * @throws CliException ({@link ExitCode#USAGE}) naming {@code option} and the file if it cannot be
   *     written; nothing is left behind then
   */
  static void write(String option, String file, AtomicFiles.Content content) {
    try {
      AtomicFiles.write(Path.of(file), content);
    } catch (NoSuchFileException e) {
      throw failure(option, file, "no such directory");
    } catch (AccessDeniedException e) {
      throw failure(option, file, "permission denied");
    } catch (IOException | InvalidPathException e) {
      throw failure(option, file, e.getMessage());
    }
  }

  private static CliException failure(String option, String file, String why) {
    return CliException.usage(option + ": cannot write '" + file + "': " + why);
  }
}
