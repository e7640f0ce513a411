package io.github.unet4j.core.graph;

import java.util.List;

/**
 * One layer application in a {@link Tape}'s trace, with its shapes for a given input.
 *
 * @param layer        the layer object ({@code io.github.unet4j.core.Layer} or
 *                     {@code MultiInputLayer}), e.g. to find the convolutions
 * @param blocks       the names of the blocks it sits in, outermost first (empty at top level)
 * @param inputShapes  the shapes of its inputs
 * @param outputShape  the shape of its output
 */
public record LayerCall(Object layer, List<String> blocks, List<long[]> inputShapes, long[] outputShape) {
}
