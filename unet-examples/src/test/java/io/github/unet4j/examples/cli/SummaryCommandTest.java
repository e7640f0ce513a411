package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The summary subcommand: the paper's totals, and one-line errors for bad input. */
class SummaryCommandTest {


    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void paperNetworkTotals() {
        CommandRun r = run("summary", "--no-timing");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("parameters: 31,030,658"), r.out());
        assertTrue(r.out().contains("convolution layers: 23"), r.out());
        assertTrue(r.out().contains("input 572x572 -> output 388x388"), r.out());
        assertTrue(r.out().contains("[1, 2, 388, 388]"), r.out());
    }

    @Test
    void smallNetworkIsTimed() {
        CommandRun r = run("summary", "--depth", "3", "--base-channels", "4", "--tile", "44x60", "--padding", "valid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input 44x60 -> output 4x20"), r.out());
        assertTrue(r.out().contains("forward pass"), r.out());
    }

    @Test
    void invalidTileNamesTheNearestValidSizes() {
        CommandRun r = run("summary", "--tile", "570", "--no-timing");
        assertEquals(UnetCommand.USAGE_ERROR, r.code());
        assertTrue(r.err().contains("570") && r.err().contains("556") && r.err().contains("572"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badOptionValues() {
        CommandRun.assertUsageError("abc", "summary", "--tile", "abc");
        CommandRun.assertUsageError("1.5", "summary", "--dropout", "1.5");
    }
}
