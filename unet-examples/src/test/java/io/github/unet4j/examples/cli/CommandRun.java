package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of the {@code unet} command with its output captured.
 *
 * @param code exit code
 * @param out  standard output
 * @param err  standard error
 */
record CommandRun(int code, String out, String err) {

    static CommandRun of(String... args) {
        CommandLine cl = UnetCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code;
        try {
            code = cl.execute(args);
        } finally {
            // Precision and algorithm are the process's (train defaults to auto): later tests in this JVM start
            // from fp32, direct.
            io.github.unet4j.core.ops.Accelerators.set(new io.github.unet4j.core.ops.Accelerators.Choice(
                    io.github.unet4j.core.ops.Precision.FP32, io.github.unet4j.core.ops.ConvAlgorithm.DIRECT));
        }
        return new CommandRun(code, out.toString(), err.toString());
    }

    /**
     * Runs the command and checks that it is refused as a usage error whose message names
     * {@code mention} (the option or the bad value).
     */
    static CommandRun assertUsageError(String mention, String... args) {
        CommandRun r = of(args);
        assertEquals(UnetCommand.USAGE_ERROR, r.code(), r.err());
        assertTrue(r.err().contains(mention), r.err());
        return r;
    }
}
