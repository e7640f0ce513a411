package io.github.unet4j.train.metrics;

/**
 * How the foreground-restricted scores treat pixels that the ground truth calls cell but the
 * prediction calls membrane. Ground-truth membrane pixels are always left out.
 */
public enum PredictedMembrane {
    /**
     * Each such pixel is a segment of its own. This is what the ISBI 2012 challenge's
     * evaluation script does (Fiji's Trainable Weka Segmentation metrics): predicted boundary
     * inside a true cell counts against the prediction as tiny split-off fragments, so it
     * cannot be used to glue the rest together, and a thicker boundary costs more.
     */
    SINGLETONS,
    /**
     * All such pixels together form one extra segment, label 0. Cheaper to state but lets one
     * large boundary "segment" span many cells, so it penalises thick boundaries as merges.
     */
    ONE_SEGMENT
}
