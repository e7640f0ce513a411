package io.github.unet4j.examples.cli;

import io.github.unet4j.core.runtime.UNetRuntime;
import io.github.unet4j.train.DivergenceException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code unet} command: {@code java -jar unet.jar <subcommand>}.
 *
 * <p>Errors in the user's input (a bad option, an invalid tile size, a missing or corrupt file,
 * an unwritable output) end with a one-line message on standard error and exit code 2, without
 * a stack trace; a diverged training run exits with 3.
 */
@Command(name = "unet", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "U-Net (Ronneberger, Fischer and Brox, MICCAI 2015) on ND4J.",
        subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
            WeightmapCommand.class, SummaryCommand.class, BenchCommand.class, ExportCommand.class,
            CheckPackageCommand.class, CommandLine.HelpCommand.class})
public final class UnetCommand implements Runnable {

    /** Exit code for invalid input. */
    public static final int USAGE_ERROR = 2;
    /** Exit code when training diverged. */
    public static final int DIVERGED = 3;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * @return a command line with the project's error handling
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new UnetCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof java.io.UncheckedIOException) {
                line.getErr().println("unet " + line.getCommandName() + ": " + oneLine(ex));
                return USAGE_ERROR;
            }
            if (ex instanceof DivergenceException) {
                line.getErr().println("unet " + line.getCommandName() + ": " + oneLine(ex));
                return DIVERGED;
            }
            throw ex;
        });
        return cl;
    }

    private static String oneLine(Exception ex) {
        String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        UNetRuntime.setUp();
        System.exit(commandLine().execute(args));
    }
}
