/**
 * The {@code unet} command line (picocli): {@code summary} now; training, prediction and
 * evaluation subcommands join it.
 */
package io.github.unet4j.examples.cli;
