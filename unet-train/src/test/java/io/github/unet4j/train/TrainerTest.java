package io.github.unet4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.train.augment.AugmentConfig;
import io.github.unet4j.train.augment.Augmenter;
import io.github.unet4j.train.data.Sample;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.data.TileSampler;
import io.github.unet4j.train.loss.WeightedCrossEntropy;
import io.github.unet4j.train.optim.Adam;
import io.github.unet4j.train.optim.AdamConfig;
import io.github.unet4j.train.optim.Sgd;
import io.github.unet4j.train.optim.SgdConfig;
import io.github.unet4j.train.weightmap.WeightMap;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The training loop: it learns, it resumes exactly, it stops on divergence. */
class TrainerTest {

    static Sample weighted(Sample s) {
        float[] w = WeightMap.fromBinary(s.label(), s.width(), s.height(), 1, WeightMapConfig.paper());
        return new Sample(s.channels(), s.label(), w, s.width(), s.height());
    }

    @Test
    void tinyNetworkOverfitsTwoTouchingBlobs() {
        UNetConfig c = UNetConfig.paper().withDepth(3).withBaseChannels(8).withPadding(Padding.SAME).withDropout(0);
        UNet net = new UNet(c, DataType.FLOAT, 1);
        Sample s = weighted(Blobs.twoTouchingDiscs(32, 1));
        TileSampler sampler = new TileSampler(List.of(s), 32, 32, null);
        Adam opt = new Adam(net.parameters(), AdamConfig.defaults().withLearningRate(1e-2));
        List<Double> losses = new Trainer(net, new WeightedCrossEntropy(), opt, sampler, TrainerConfig.of(100, 3))
                .train();
        double first = losses.get(0);
        double last = losses.get(losses.size() - 1);
        assertTrue(last <= 0.05 * first, "initial loss " + first + ", final " + last);
    }

    private static UNet net(long seed) {
        UNetConfig c = UNetConfig.paper().withDepth(3).withBaseChannels(4).withDropout(0.5).withBatchNorm(true);
        return new UNet(c, DataType.FLOAT, seed);
    }

    private static TileSampler sampler() {
        UNetConfig c = net(1).config();
        int in = c.validInputSizeAtLeast(52);
        List<Sample> samples = List.of(weighted(Blobs.twoTouchingDiscs(48, 1)), weighted(Blobs.twoTouchingDiscs(40, 2)));
        return new TileSampler(samples, in, c.outputSize(in), new Augmenter(AugmentConfig.defaults()));
    }

    @Test
    void resumingFromACheckpointContinuesExactly(@TempDir Path dir) throws Exception {
        TrainerConfig cfg = TrainerConfig.of(10, 7);
        UNet straight = net(1);
        Sgd so = new Sgd(straight.parameters(), SgdConfig.paper(0.01));
        new Trainer(straight, new WeightedCrossEntropy(), so, sampler(), cfg).train();

        Path ckpt = dir.resolve("half.zip");
        UNet first = net(1);
        Sgd fo = new Sgd(first.parameters(), SgdConfig.paper(0.01));
        new Trainer(first, new WeightedCrossEntropy(), fo, sampler(), cfg.withIterations(5).withCheckpoint(0, ckpt))
                .train();
        UNet resumed = net(99); // different initialisation, overwritten by the checkpoint
        Sgd ro = new Sgd(resumed.parameters(), SgdConfig.paper(0.01));
        Checkpoint.load(ckpt).loadInto(resumed, ro);
        assertEquals(5, ro.stepCount());
        new Trainer(resumed, new WeightedCrossEntropy(), ro, sampler(), cfg).train();

        for (int i = 0; i < straight.parameters().size(); i++) {
            Parameter a = straight.parameters().get(i);
            Parameter b = resumed.parameters().get(i);
            assertArrayEquals(a.value().data().asFloat(), b.value().data().asFloat(), 0f, a.name());
        }
        for (int i = 0; i < straight.buffers().size(); i++) {
            assertArrayEquals(straight.buffers().get(i).value().data().asFloat(),
                    resumed.buffers().get(i).value().data().asFloat(), 0f, straight.buffers().get(i).name());
        }
    }

    @Test
    void divergenceStopsWithAdvice() {
        UNet n = net(1);
        Sgd opt = new Sgd(n.parameters(), SgdConfig.paper(1e4));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(n, new WeightedCrossEntropy(), opt, sampler(), TrainerConfig.of(200, 1)).train());
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void listenersSeeStepsValidationsAndCheckpoints(@TempDir Path dir) {
        UNet n = net(1);
        Adam opt = new Adam(n.parameters(), AdamConfig.defaults());
        List<String> events = new ArrayList<>();
        new Trainer(n, new WeightedCrossEntropy(), opt, sampler(),
                TrainerConfig.of(4, 1).withValidateEvery(2).withCheckpoint(3, dir.resolve("m.zip")))
                .validator(net -> Map.of("score", 1.0))
                .addListener(new TrainingListener() {
                    @Override
                    public void onTrainingBegin(long start, long iterations) {
                        events.add("begin " + start + " " + iterations);
                    }

                    @Override
                    public void onStep(StepResult r) {
                        events.add("step " + r.step());
                    }

                    @Override
                    public void onValidation(long step, Map<String, Double> m) {
                        events.add("validation " + step);
                    }

                    @Override
                    public void onCheckpoint(long step, Path p) {
                        events.add("checkpoint " + step);
                    }

                    @Override
                    public void onTrainingEnd(long step) {
                        events.add("end " + step);
                    }
                }).train();
        assertEquals(List.of("begin 0 4", "step 1", "step 2", "validation 2", "step 3", "checkpoint 3", "step 4",
                "validation 4", "checkpoint 4", "end 4"), events);
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(1, 1).withBatchSize(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerConfig.of(1, 1).withDivergenceFactor(0.5));
        assertTrue(e.getMessage().contains("0.5"));
    }
}
