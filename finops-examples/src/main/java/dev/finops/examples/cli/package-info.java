/**
 * The {@code finops} command line: one {@code Command} per subcommand, hand-rolled argument parsing,
 * exit codes 0 to 5, and one-line errors on stderr.
 */
package dev.finops.examples.cli;
