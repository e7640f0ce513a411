package io.github.unet4j.core.layers;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers applied one after another; backward runs them in reverse. */
public class Sequential implements Layer {
    private final String name;
    private final List<Layer> layers;

    /**
     * @param name   path in the network
     * @param layers the layers, first applied first
     */
    public Sequential(String name, List<? extends Layer> layers) {
        this.name = name;
        this.layers = List.copyOf(layers);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the layers in order */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public long[] outputShape(long[] in) {
        long[] s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    /**
     * @param x input of the first layer, {@code [N, C, H, W]}
     * @return output of the last layer
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray y = x;
        for (Layer l : layers) {
            y = l.forward(y, mode);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.parameters());
        }
        return ps;
    }

    @Override
    public List<Buffer> buffers() {
        List<Buffer> bs = new ArrayList<>();
        for (Layer l : layers) {
            bs.addAll(l.buffers());
        }
        return bs;
    }
}
