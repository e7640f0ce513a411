/**
 * bioimage.io model packages (format 0.5) written from a network: the ONNX weights, the test
 * tensors, the preprocessing that reproduces the training normalisation, a cover and the
 * documentation, named with their sha256 in {@code rdf.yaml}.
 */
package io.github.unet4j.core.bioimageio;
