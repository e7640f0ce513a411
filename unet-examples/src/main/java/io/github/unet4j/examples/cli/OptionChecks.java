package io.github.unet4j.examples.cli;

import io.github.unet4j.core.UNetConfig;

/**
 * Checks of command-line values that name the option the user typed ("--batch 0: must be at
 * least 1"), made before the library sees them: its exceptions name its classes and fields
 * ("TrainerConfig: batchSize"), which a command-line user never wrote.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " " + value + ": must be at least " + min);
        }
    }

    static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number above 0");
        }
    }

    static void nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number, 0 or more");
        }
    }

    /** A value in [0, 1). */
    static void fraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " " + value + ": must be at least 0 and below 1");
        }
    }

    /**
     * @param option the option that gave the tile ("--tile")
     * @param config the network
     * @param tile   the input tile size
     * @return the output tile size
     * @throws IllegalArgumentException naming the option, the rule and the nearest valid sizes
     */
    static int tile(String option, UNetConfig config, int tile) {
        int out = config.outputSizeOrInvalid(tile);
        if (out < 0) {
            throw new IllegalArgumentException(option + " " + tile + ": is not valid for this configuration ("
                    + config.sizeRule() + "); " + config.nearestValidHint(tile));
        }
        return out;
    }
}
