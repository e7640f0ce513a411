package io.github.unet4j.examples.cli;

import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import io.github.unet4j.train.metrics.LabelImage;
import io.github.unet4j.train.metrics.MembraneLabel;
import io.github.unet4j.train.metrics.PredictedMembrane;
import io.github.unet4j.train.metrics.SegmentationMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code unet evaluate}: the ISBI 2012 metrics of predicted label images against the truth. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare predicted membrane/cell images with ground truth of the same names (0 = membrane, "
                + "anything else = cell; probability maps are thresholded at half their range): pixel error, "
                + "ISBI 2012 foreground-restricted Rand and information errors, IoU and Dice.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--prediction", required = true, description = "Folder of predicted label or probability images.")
    Path prediction;

    @Option(names = "--truth", required = true, description = "Folder of ground-truth labels.")
    Path truth;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-12s %11s %11s %11s %9s %9s%n", "image", "pixel_error", "rand_error", "info_error", "iou_memb",
                "iou_cell");
        double[] sum = new double[5];
        int n = 0;
        for (Path p : ImageIo.listImages(prediction)) {
            String name = p.getFileName().toString();
            Path t = truth.resolve(name);
            GrayImage pi = ImageIo.read(p);
            GrayImage ti = ImageIo.read(t);
            if (pi.width() != ti.width() || pi.height() != ti.height()) {
                throw new ImageIoException(p, "prediction is " + pi.width() + "x" + pi.height() + " but the truth "
                        + t + " is " + ti.width() + "x" + ti.height(), null);
            }
            LabelImage pl = LabelImage.threshold(pi, pi.depth().maxValue() / 2);
            SegmentationMetrics m = SegmentationMetrics.evaluate(pl, LabelImage.of(ti), MembraneLabel.ZERO,
                    PredictedMembrane.SINGLETONS);
            double[] v = {m.pixelError(), m.randError(), m.scores().informationError(), m.overlap().iou()[0],
                m.overlap().iou()[1]};
            out.printf("%-12s %11.4f %11.4f %11.4f %9.4f %9.4f%n", name, v[0], v[1], v[2], v[3], v[4]);
            for (int k = 0; k < 5; k++) {
                sum[k] += v[k];
            }
            n++;
        }
        if (n == 0) {
            throw new ImageIoException(prediction, "no .png or .tif images in this folder", null);
        }
        out.printf("%-12s %11.4f %11.4f %11.4f %9.4f %9.4f%n", "mean", sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n,
                sum[4] / n);
        out.flush();
        return 0;
    }
}
