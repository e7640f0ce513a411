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
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.data.Sample;
import io.github.unet4j.train.data.TileSampler;
import io.github.unet4j.train.listeners.EarlyStopping;
import io.github.unet4j.train.listeners.Progress;
import io.github.unet4j.train.listeners.TrainingHistory;
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
import org.nd4j.linalg.api.ndarray.INDArray;

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
        return new TileSampler(samples, c, in, new Augmenter(AugmentConfig.defaults()));
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
        new Trainer(first, new WeightedCrossEntropy(), fo, sampler(), cfg.withSteps(5).withCheckpointAtEnd(ckpt))
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
                TrainerConfig.of(4, 1).withValidateEvery(2).withCheckpointEvery(3, dir.resolve("m.zip")))
                .validator(net -> Map.of("score", 1.0))
                .addListener(new TrainingListener() {
                    @Override
                    public void onTrainingBegin(long start, long steps) {
                        events.add("begin " + start + " " + steps);
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

    @Test
    void aListenerStopsTheRunEarlyAndTheCheckpointIsOfTheStepReached(@TempDir Path dir) throws Exception {
        UNet n = net(1);
        Adam opt = new Adam(n.parameters(), AdamConfig.defaults());
        // The score never improves after the first validation: with patience 2 the run stops at the third.
        double[] scores = {0.5, 0.4, 0.45, 0.3, 0.9};
        int[] calls = {0};
        EarlyStopping stop = new EarlyStopping("score", EarlyStopping.Goal.MAXIMISE, 2);
        TrainingHistory history = new TrainingHistory();
        List<Progress.Report> reports = new ArrayList<>();
        List<Double> losses = new Trainer(n, new WeightedCrossEntropy(), opt, sampler(),
                TrainerConfig.of(10, 1).withValidateEvery(2).withCheckpointAtEnd(dir.resolve("m.zip")))
                .validator(net -> Map.of("score", scores[calls[0]++]))
                .addListener(stop).addListener(history).addListener(new Progress(reports::add))
                .train();
        assertEquals(6, losses.size(), "validations at 2, 4, 6; no improvement at 4 and 6");
        assertEquals(0.5, stop.best());
        assertEquals(2, stop.bestStep());
        assertEquals(6, Checkpoint.load(dir.resolve("m.zip")).step());
        assertEquals(6, history.steps().size());
        assertEquals(List.of(2L, 4L, 6L), List.copyOf(history.validations().keySet()));
        assertTrue(history.csv().startsWith("step,loss,learning_rate,seconds,score\n1,"), history.csv());
        Progress.Report last = reports.get(reports.size() - 1);
        assertEquals(6, last.step());
        assertEquals(0.6, last.fraction(), 1e-12);
        assertTrue(last.secondsLeft() > 0 && last.line().startsWith("6/10 loss "), last.line());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("score", EarlyStopping.Goal.MINIMISE, 0));
    }

    @Test
    void aTrainingStepAloneUpdatesTheParametersAndReturnsTheLoss() {
        UNet n = net(2);
        Sgd sgd = new Sgd(n.parameters(), SgdConfig.paper(0.01));
        INDArray before = n.parameters().get(0).value().dup();
        double loss = new TrainingStep(n, new WeightedCrossEntropy(), sgd).run(sampler(), 1, new java.util.Random(3));
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertEquals(1, sgd.stepCount());
        assertTrue(before.distance2(n.parameters().get(0).value()) > 0, "the first weight moved");
    }

    @Test
    void aTileSamplerForANetworkRefusesATileOfAnotherSize() {
        UNetConfig c = net(1).config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TileSampler(List.of(Blobs.twoTouchingDiscs(48, 1)), c, 50, null));
        assertTrue(e.getMessage().contains("input tile 50") && e.getMessage().contains("nearest valid sizes"),
                e.getMessage());
    }

    @Test
    void aLambdaListensToStepsAndTheIsbiValidatorRefusesAThreeClassNetwork() {
        UNet n = net(1);
        List<Long> seen = new ArrayList<>();
        new Trainer(n, new WeightedCrossEntropy(), new Adam(n.parameters(), AdamConfig.defaults()), sampler(),
                TrainerConfig.of(3, 1)).addListener(TrainingListener.onStep(r -> seen.add(r.step()))).train();
        assertEquals(List.of(1L, 2L, 3L), seen);
        UNet three = new UNet(n.config().withClasses(3), DataType.FLOAT, 1);
        SegmentationValidator v = new SegmentationValidator(List.of(Blobs.twoTouchingDiscs(48, 1)),
                n.config().validInputSizeAtLeast(52), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.validate(three));
        assertTrue(e.getMessage().contains("this one has 3 classes"), e.getMessage());
    }
}
