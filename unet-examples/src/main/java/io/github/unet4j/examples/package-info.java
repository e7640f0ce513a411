/**
 * Runnable examples of the library API and the native backend choice they share.
 */
package io.github.unet4j.examples;
