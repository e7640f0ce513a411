package io.github.unet4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Grad;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.MultiInputLayer;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.blocks.BlockFactory;
import io.github.unet4j.core.blocks.Down;
import io.github.unet4j.core.blocks.Up;
import io.github.unet4j.core.layers.Add;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ConvTranspose2d;
import io.github.unet4j.core.layers.ReLU;
import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A U-Net assembled from blocks a user writes (a residual double convolution, written from the
 * library's layers plus a crop layer of the user's own), checked like the paper's: finite
 * differences in double, and a few training steps that lower the loss.
 */
class UserBlockTest {

    /** Centre-crops its first input to the height and width of its second (a user's layer). */
    static final class CropLike implements MultiInputLayer {
        private final String name;
        private long[] shape;

        CropLike(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long[] outputShape(long[]... in) {
            if (in[0][2] < in[1][2] || in[0][3] < in[1][3]) {
                throw new ShapeException("CropLike '" + name + "': " + Shapes.str(in[0]) + " is smaller than "
                        + Shapes.str(in[1]));
            }
            return new long[] {in[0][0], in[0][1], in[1][2], in[1][3]};
        }

        private static long[] offset(long[] x, long[] like) {
            return new long[] {0, 0, (x[2] - like[2]) / 2, (x[3] - like[3]) / 2};
        }

        @Override
        public INDArray forward(Mode mode, INDArray... in) {
            long[] out = outputShape(in[0].shape(), in[1].shape());
            long[] o = offset(in[0].shape(), out);
            shape = mode == Mode.TRAIN ? in[0].shape() : null;
            INDArray view = in[0].get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(o[2], o[2] + out[2]), NDArrayIndex.interval(o[3], o[3] + out[3]));
            return BufferPool.allocate(view.dataType(), out).assign(view);
        }

        @Override
        public Grad[] backward(INDArray gradOut) {
            Grad window = Grad.window(gradOut, shape, offset(shape, gradOut.shape()));
            // The second input only lends its size.
            Grad none = Grad.of(BufferPool.allocate(gradOut.dataType(), gradOut.shape()).assign(0));
            return new Grad[] {window, none};
        }

        @Override
        public boolean cachesInput(int input) {
            return false;
        }
    }

    /** relu(conv2(relu(conv1(x))) + crop(project(x))): a residual double convolution. */
    static final class ResidualDoubleConv implements Block {
        private final String name;
        private final Conv2d conv1;
        private final Conv2d conv2;
        private final Conv2d project;
        private final ReLU relu1;
        private final ReLU relu2;
        private final CropLike crop;
        private final Add add;

        ResidualDoubleConv(String name, int in, int out, DataType dtype) {
            this.name = name;
            conv1 = new Conv2d(name + ".conv1", in, out, 3, Padding.VALID, true, dtype);
            conv2 = new Conv2d(name + ".conv2", out, out, 3, Padding.VALID, true, dtype);
            project = new Conv2d(name + ".project", in, out, 1, Padding.VALID, false, dtype);
            relu1 = new ReLU(name + ".relu1", true);
            relu2 = new ReLU(name + ".relu2", true);
            crop = new CropLike(name + ".crop");
            add = new Add(name + ".add");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Var forward(Graph g, Var x) {
            Var h = g.apply(conv2, g.apply(relu1, g.apply(conv1, x)));
            return g.apply(relu2, g.apply(add, h, g.apply(crop, g.apply(project, x), h)));
        }
    }

    /** The paper's network with every double convolution residual. */
    static final class Residual implements BlockFactory {
        @Override
        public Block inc(String name, int in, int out, UNetConfig c, DataType dt) {
            return new ResidualDoubleConv(name, in, out, dt);
        }

        @Override
        public Block down(String name, int in, int out, UNetConfig c, DataType dt) {
            return new Down(name, new ResidualDoubleConv(name + ".conv", in, out, dt));
        }

        @Override
        public UpBlock up(String name, int in, int skip, int out, UNetConfig c, DataType dt) {
            return new Up(name, new ConvTranspose2d(name + ".up", in, out, true, dt),
                    new ResidualDoubleConv(name + ".conv", skip + out, out, dt));
        }
    }

    private static final UNetConfig TINY = UNetConfig.paper().withDepth(3).withBaseChannels(2).withDropout(0);

    @Test
    void aResidualUNetHasTheUsersLayersAndTheConfigurationsShapes() {
        UNet net = new UNet(TINY, DataType.FLOAT, 1, new Residual());
        long[] in = {1, 1, 44, 44};
        assertArrayEquals(new long[] {1, 2, TINY.outputSize(44), TINY.outputSize(44)}, net.outputShape(in));
        List<LayerCall> calls = net.trace(in);
        assertEquals(7 * 5 + 2 + 1 + 2 * 2 + 1, calls.size(), "7 layers in each of 5 residual blocks, 2 pools, "
                + "the dropout, 2 up-convolutions and concatenations, the classifier");
        assertTrue(net.parameters().stream().anyMatch(p -> p.name().equals("down1.conv.project.weight")));
        assertEquals("ResidualDoubleConv", net.summary(in).get(0).type());
    }

    @Test
    void aResidualUNetPassesTheGradientCheck() {
        for (Activations a : Activations.values()) {
            UNet net = new UNet(TINY, DataType.DOUBLE, 4, new Residual());
            net.setActivations(a);
            TestTensors.nonZeroBiases(net.parameters(), 1);
            INDArray x = TestTensors.awayFromZero(21, DataType.DOUBLE, 2, 1, 44, 44);
            GradientCheck.Result r = new GradientCheck().maxPerTensor(16).check(x, v -> net.forward(v, Mode.TRAIN),
                    net::backward, net.parameters());
            assertTrue(r.checked() > 100, r.toString());
            assertTrue(r.maxRelativeError() < 1e-4, a + ": " + r);
        }
    }

    @Test
    void aResidualUNetTrains() {
        UNet net = new UNet(TINY, DataType.FLOAT, 5, new Residual());
        INDArray x = TestTensors.awayFromZero(3, DataType.FLOAT, 1, 1, 44, 44);
        INDArray target = TestTensors.awayFromZero(4, DataType.FLOAT, net.outputShape(x.shape())).muli(0.5);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 30; step++) {
            INDArray y = net.forward(x, Mode.TRAIN);
            INDArray diff = y.sub(target);
            last = diff.mul(diff).sumNumber().doubleValue() / diff.length(); // mean squared error
            first = step == 0 ? last : first;
            net.zeroGrad();
            net.backward(diff.muli(2.0 / diff.length()));
            for (Parameter p : net.parameters()) {
                p.value().subi(p.grad().mul(0.05));
            }
        }
        assertTrue(last < 0.5 * first, "mean squared error " + first + " -> " + last);
    }
}
