package io.github.unet4j.examples.cli;

import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import io.github.unet4j.train.metrics.ClassOverlap;
import io.github.unet4j.train.metrics.LabelImage;
import io.github.unet4j.train.metrics.MembraneLabel;
import io.github.unet4j.train.metrics.PredictedMembrane;
import io.github.unet4j.train.metrics.SegmentationMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code unet evaluate}: the ISBI 2012 metrics of predicted label images against the truth. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare predicted membrane/cell images with ground truth of the same names, any extension (0 = membrane, "
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
        Map<String, Path> predictions = byStem(prediction);
        Map<String, Path> truths = byStem(truth);
        for (String stem : truths.keySet()) {
            if (!predictions.containsKey(stem)) {
                throw new ImageIoException(truths.get(stem), "no prediction of this name (" + stem
                        + ".png, .tif or .tiff) in " + prediction + "; predict every truth image, or move this one out",
                        null);
            }
        }
        for (String stem : predictions.keySet()) {
            if (!truths.containsKey(stem)) {
                throw new ImageIoException(predictions.get(stem), "no truth image of this name (" + stem
                        + ".png, .tif or .tiff) in " + truth + "; give the truth folder of these predictions", null);
            }
        }
        // Every row first: a failing image leaves nothing on standard output.
        List<String> rows = new ArrayList<>();
        double[][] columns = new double[5][predictions.size()];
        int n = 0;
        for (Map.Entry<String, Path> e : predictions.entrySet()) {
            Path p = e.getValue();
            Path t = truths.get(e.getKey());
            GrayImage pi = ImageIo.read(p);
            GrayImage ti = ImageIo.read(t);
            if (pi.width() != ti.width() || pi.height() != ti.height()) {
                throw new ImageIoException(p, "prediction is " + pi.width() + "x" + pi.height() + " but the truth "
                        + t + " is " + ti.width() + "x" + ti.height(), null);
            }
            LabelImage pl = LabelImage.threshold(pi, (float) (pi.depth().fullScale() / 2));
            SegmentationMetrics m = SegmentationMetrics.evaluate(pl, LabelImage.of(ti), MembraneLabel.ZERO,
                    PredictedMembrane.SINGLETONS);
            double[] v = {m.pixelError(), m.randError(), m.scores().informationError(), m.overlap().iou()[0],
                m.overlap().iou()[1]};
            for (int k = 0; k < v.length; k++) {
                columns[k][n] = v[k];
            }
            rows.add(row(e.getKey(), v));
            n++;
        }
        double[] mean = new double[5];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = ClassOverlap.nanMean(columns[k]);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-12s %11s %11s %11s %9s %9s%n", "image", "pixel_error", "rand_error", "info_error", "iou_memb",
                "iou_cell");
        rows.forEach(out::println);
        out.println(row("mean", mean));
        out.println("(n/a: a class absent from both the prediction and the truth has no IoU; means skip it)");
        out.flush();
        return 0;
    }

    /** @return the folder's images by file name without extension, refusing none and repeated stems */
    private static Map<String, Path> byStem(Path folder) throws ImageIoException {
        Map<String, Path> m = new TreeMap<>();
        for (Path p : ImageIo.listImagesStrict(folder)) {
            Path before = m.put(InputImages.stem(p), p);
            if (before != null) {
                throw new ImageIoException(p, "has the same name as " + before.getFileName() + " but another "
                        + "extension; keep one of them in " + folder, null);
            }
        }
        if (m.isEmpty()) {
            throw new ImageIoException(folder, "no .png or .tif images in this folder", null);
        }
        return m;
    }

    private static String row(String name, double[] v) {
        return String.format("%-12s %11s %11s %11s %9s %9s", name, cell(v[0], 11), cell(v[1], 11), cell(v[2], 11),
                cell(v[3], 9), cell(v[4], 9));
    }

    private static String cell(double v, int width) {
        return Double.isNaN(v) ? String.format("%" + width + "s", "n/a") : String.format("%" + width + ".4f", v);
    }
}
