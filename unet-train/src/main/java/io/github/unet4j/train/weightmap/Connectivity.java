package io.github.unet4j.train.weightmap;

/** Which neighbours of a pixel belong to the same connected component. */
public enum Connectivity {
    /** Edge neighbours only: left, right, up, down. Diagonal contact does not join cells. */
    FOUR,
    /** Edge and corner neighbours: the 8 pixels around. */
    EIGHT
}
