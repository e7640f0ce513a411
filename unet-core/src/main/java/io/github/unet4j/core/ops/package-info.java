/**
 * The op layer below the layers: ND4J's custom ops with their arguments spelled out once, run
 * over bands of rows ({@link io.github.unet4j.core.ops.RowBands}) with contiguous scratch arrays
 * and overlap adds where that is faster or smaller, so that a layer reads like its maths.
 */
package io.github.unet4j.core.ops;
