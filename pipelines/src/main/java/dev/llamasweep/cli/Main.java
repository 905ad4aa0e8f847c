package dev.llamasweep.cli;

import dev.llamasweep.benchhost.Errors;
import dev.llamasweep.benchhost.PlanCommand;
import dev.llamasweep.benchhost.SetupCommand;
import dev.llamasweep.benchhost.ValidateCommand;
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
    // a job that fails on Flink is logged there with its whole chain of causes (140-230 lines: the task's error and
    // "Pipeline execution failed"), then thrown: the failure is said once, as Errors' sentence, or in full when unexpected
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "off");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink.FlinkRunner", "off");
    return Errors.execute(new CommandLine(new Main()), args);
  }
}
