/**
 * ONNX Runtime in unet-examples: a session wrapper ({@link io.github.unet4j.examples.onnx.OrtModel})
 * and the bioimage.io package check ({@link io.github.unet4j.examples.onnx.PackageCheck}), which
 * does what bioimageio.core's test does, in Java.
 */
package io.github.unet4j.examples.onnx;
