/**
 * ONNX export: a network's recorded program translated into an ONNX graph (IR 7, opset 13) that
 * other engines (ONNX Runtime, deepImageJ) run. {@link io.github.unet4j.core.onnx.OnnxExport} is
 * the entry point; one class writes the protobuf, so the translation reads as operators.
 */
package io.github.unet4j.core.onnx;
