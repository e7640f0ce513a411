package io.github.unet4j.core.layers;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers applied one after another; backward runs them in reverse.
 *
 * <p>The arrays passed between the layers belong to the Sequential and are freed
 * ({@link Tensors#release}) as soon as no one needs them: in inference after the next layer has
 * run, in training after the backward of the layer that created them (every layer that caches
 * the array comes after its creator, so its backward has run by then), and the gradients between
 * the layers after the layer they were passed to. The input, the output and the incoming
 * gradient belong to the caller.
 */
public class Sequential implements Layer {
    private final String name;
    private final List<Layer> layers;
    private INDArray input;
    private INDArray[] outputs;

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
        clearCache();
        boolean train = mode == Mode.TRAIN;
        INDArray[] outs = new INDArray[layers.size()];
        INDArray y = x;
        for (int i = 0; i < layers.size(); i++) {
            INDArray next = layers.get(i).forward(y, mode);
            if (!train && y != x) {
                Tensors.release(y, x, next);
            }
            y = next;
            outs[i] = y;
        }
        input = train ? x : null;
        outputs = train ? outs : null;
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        return backward(gradOut, false);
    }

    /**
     * As {@link #backward}, and also frees {@code gradOut} and this Sequential's last forward
     * output as soon as they are dead (inside, not after): for a caller that owns both and does
     * not use them afterwards, as {@code UNet} does with its blocks. The caller must drop its
     * references to them.
     *
     * @param gradOut dL/dOutput, handed over
     * @return dL/dInput
     */
    public INDArray backwardConsuming(INDArray gradOut) {
        return backward(gradOut, true);
    }

    private INDArray backward(INDArray gradOut, boolean consume) {
        INDArray[] outs = outputs;
        if (outs == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " '" + name
                    + "': backward called without a forward in Mode.TRAIN before it");
        }
        INDArray out = outs[outs.length - 1];
        INDArray g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            INDArray next = consume && g == gradOut && layer instanceof Sequential s
                    ? s.backwardConsuming(g) : layer.backward(g);
            if (consume) {
                Tensors.release(g, next);
            } else if (g != gradOut) {
                // Not the output's memory either: an in-place ReLU's gradient lives in it, and the output is the caller's.
                Tensors.release(g, gradOut, next, out);
            }
            g = next;
            releaseCreatedBy(i, outs, consume);
        }
        forget();
        return g;
    }

    /**
     * Frees layer i's output unless an earlier layer created it (in place) or it is the input or
     * (unless consumed) the output.
     */
    private void releaseCreatedBy(int i, INDArray[] outs, boolean consume) {
        INDArray o = outs[i];
        if (i > 0 && Tensors.sameMemory(o, outs[i - 1])) {
            return;
        }
        if (consume) {
            Tensors.release(o, input);
        } else {
            Tensors.release(o, input, outs[outs.length - 1]);
        }
    }

    private void forget() {
        input = null;
        outputs = null;
    }

    /** Frees the arrays between the layers and the layers' own caches, without a backward. */
    @Override
    public void clearCache() {
        INDArray[] outs = outputs;
        if (outs != null) {
            for (int i = outs.length - 1; i >= 0; i--) {
                releaseCreatedBy(i, outs, false);
            }
        }
        layers.forEach(Layer::clearCache);
        forget();
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
