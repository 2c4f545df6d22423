package dev.finops.cli;

import picocli.CommandLine.Command;

/** {@code finops catalog list|import|diff}: the price catalogs, listed, imported from open datasets, compared. */
@Command(name = "catalog", description = "list, import (from genai-prices or LiteLLM) and diff price catalogs",
    subcommands = {CatalogList.class, CatalogImport.class, CatalogDiff.class})
final class CatalogCommand extends CliCommand {

  @Override
  int run() {
    throw CliException.usage("catalog: missing subcommand (catalog " + FinOpsCli.orList(FinOpsCli.subcommandNames(spec))
        + ")");
  }
}
