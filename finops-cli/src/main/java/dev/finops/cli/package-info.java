/**
 * The {@code finops} command line on picocli: one {@code @Command} class per subcommand (subcommands of
 * their own for {@code catalog} and {@code advise}), typed options with converters that name the option in
 * every error, help generated from the annotations, exit codes 0 to 5, and one-line errors on stderr.
 */
package dev.finops.cli;
