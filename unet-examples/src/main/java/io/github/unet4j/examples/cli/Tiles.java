package io.github.unet4j.examples.cli;


/** Parsing of tile sizes given as {@code 572} or {@code 572x380} (height x width). */
final class Tiles {
    private Tiles() {
    }

    /**
     * @param s {@code S} or {@code HxW}
     * @return {height, width}
     * @throws IllegalArgumentException if it is not one or two positive integers
     */
    static int[] parse(String s) {
        String[] parts = s.toLowerCase(java.util.Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 1) {
                int v = Integer.parseInt(parts[0].trim());
                return positive(new int[] {v, v}, s);
            }
            if (parts.length == 2) {
                return positive(new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())}, s);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("tile size '" + s + "' is not of the form 572 or 572x380");
    }

    private static int[] positive(int[] hw, String s) {
        if (hw[0] < 1 || hw[1] < 1) {
            throw new IllegalArgumentException("tile size '" + s + "' must be positive");
        }
        return hw;
    }

}
