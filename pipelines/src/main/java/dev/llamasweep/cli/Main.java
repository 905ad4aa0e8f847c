package dev.llamasweep.cli;

import dev.llamasweep.executor.Errors;
import dev.llamasweep.executor.PlanCommand;
import dev.llamasweep.executor.SetupCommand;
import dev.llamasweep.executor.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** llama-sweep's command line. Every failure a user can cause ends as one sentence on stderr. */
@Command(name = "llama-sweep", mixinStandardHelpOptions = true, version = "llama-sweep 0.1.0",
    description = "Reproducible llama.cpp benchmark sweeps: spec -> grid -> real llama.cpp runs -> mean ± sd -> bandwidth reports.",
    subcommands = {RunCommand.class, CellCommand.class, PlanCommand.class, ReportsCommand.class,
        ValidateCommand.class, SetupCommand.class, CompareCommand.class, IngestCommand.class, ExportSqlCommand.class, CorpusCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return Errors.execute(new CommandLine(new Main()), args);
  }
}
