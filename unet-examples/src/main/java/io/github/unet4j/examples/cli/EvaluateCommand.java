package io.github.unet4j.examples.cli;

import io.github.unet4j.train.data.LabelCoding;
import io.github.unet4j.train.data.LabelledImages;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import io.github.unet4j.train.metrics.CellSegments;
import io.github.unet4j.train.metrics.ClassOverlap;
import io.github.unet4j.train.metrics.ForegroundRestrictedScores;
import io.github.unet4j.train.metrics.LabelImage;
import io.github.unet4j.train.metrics.MembraneLabel;
import io.github.unet4j.train.metrics.ObjectMatching;
import io.github.unet4j.train.metrics.PredictedMembrane;
import io.github.unet4j.train.metrics.SegmentationMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet evaluate}: scores of predicted label images against the truth, by label coding:
 * the ISBI 2012 metrics for binary labels, pixel accuracy and IoU per class for class ids,
 * object matching and SEG for instances.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare predicted label images with ground truth of the same names, any extension (a truth "
                + "name may add _mask or _label). Binary (0 = membrane, anything else = cell; probability maps are "
                + "thresholded at half their range): pixel error, ISBI 2012 foreground-restricted Rand and "
                + "information errors, IoU. Classes: pixel accuracy, mean IoU and Dice, IoU per class. Instances: "
                + "object F1, precision and recall at IoU > 0.5, mean matched IoU, the Cell Tracking Challenge SEG, "
                + "object counts and the pairs of true objects merged into one predicted object.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--prediction", required = true, description = "Folder of predicted label or probability images.")
    Path prediction;

    @Option(names = "--truth", required = true, description = "Folder of ground-truth labels.")
    Path truth;

    @Option(names = "--labels", description = "BINARY, CLASSES or INSTANCES (default: ${DEFAULT-VALUE}).")
    LabelCoding labels = LabelCoding.BINARY;

    @Option(names = "--classes", description = "Classes for --labels classes (default: the largest id in the images "
            + "plus one).")
    Integer classes;

    @Option(names = "--segments", description = "With --labels binary: the predictions are cell ids (0 = membrane), "
            + "such as predict --watershed's segments/, scored as they are rather than as connected components.")
    boolean segments;

    @Option(names = "--csv", description = "Also write the table as CSV to this file.")
    Path csv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (classes != null) {
            OptionChecks.atLeast("--classes", classes, 2);
        }
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
        // Every image read first: a failing one leaves nothing on standard output.
        List<String> names = new ArrayList<>();
        List<GrayImage[]> pairs = new ArrayList<>();
        int largest = 0;
        for (Map.Entry<String, Path> e : predictions.entrySet()) {
            Path p = e.getValue();
            Path t = truths.get(e.getKey());
            // Class maps may be palette images (predict writes them so): the index is the class id.
            GrayImage pi = labels == LabelCoding.CLASSES ? ImageIo.readLabelIndices(p) : ImageIo.readLabel(p);
            GrayImage ti = labels == LabelCoding.CLASSES ? ImageIo.readLabelIndices(t) : ImageIo.readLabel(t);
            if (pi.width() != ti.width() || pi.height() != ti.height()) {
                throw new ImageIoException(p, "prediction is " + pi.width() + "x" + pi.height() + " but the truth "
                        + t + " is " + ti.width() + "x" + ti.height(), null);
            }
            if (labels == LabelCoding.CLASSES) {
                largest = Math.max(largest, Math.max(max(pi), max(ti)));
            }
            names.add(e.getKey());
            pairs.add(new GrayImage[] {pi, ti});
        }
        int k = classes != null ? classes : Math.max(2, largest + 1);
        if (labels == LabelCoding.CLASSES && largest >= k) {
            throw new IllegalArgumentException("--classes " + k + ": the images hold class " + largest
                    + "; pass --classes " + (largest + 1));
        }
        List<String> columns = columns(k);
        double[][] values = new double[pairs.size()][];
        for (int i = 0; i < pairs.size(); i++) {
            values[i] = scores(pairs.get(i)[0], pairs.get(i)[1], k);
        }
        double[] mean = new double[columns.size()];
        for (int c = 0; c < mean.length; c++) {
            double[] col = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                col[i] = values[i][c];
            }
            mean[c] = ClassOverlap.nanMean(col);
        }
        if (csv != null) {
            StringBuilder sb = new StringBuilder("image," + String.join(",", columns) + "\n");
            for (int i = 0; i < values.length; i++) {
                sb.append(names.get(i));
                for (double v : values[i]) {
                    sb.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
                }
                sb.append('\n');
            }
            AtomicFiles.write(csv, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder header = new StringBuilder(String.format("%-12s", "image"));
        columns.forEach(c -> header.append(String.format(" %11s", c)));
        out.println(header);
        for (int i = 0; i < values.length; i++) {
            out.println(row(names.get(i), values[i]));
        }
        out.println(row("mean", mean));
        out.println("(n/a: undefined for this image, such as the IoU of a class absent from both images; means skip it)");
        out.flush();
        return 0;
    }

    private List<String> columns(int k) {
        return switch (labels) {
            case BINARY -> List.of("pixel_error", "rand_error", "info_error", "iou_memb", "iou_cell");
            case CLASSES -> {
                List<String> c = new ArrayList<>(List.of("pixel_acc", "mean_iou", "mean_dice"));
                for (int i = 0; i < k; i++) {
                    c.add("iou_" + i);
                }
                yield c;
            }
            case INSTANCES -> List.of("f1", "precision", "recall", "matched_iou", "seg", "true_objs", "pred_objs",
                    "merged_pairs");
        };
    }

    private double[] scores(GrayImage pi, GrayImage ti, int k) {
        switch (labels) {
            case BINARY -> {
                LabelImage truthImage = LabelImage.of(ti);
                if (segments) {
                    // The prediction's ids are its cells as they are: no connected components of it.
                    LabelImage pl = LabelImage.of(pi);
                    ForegroundRestrictedScores s = ForegroundRestrictedScores.ofSegments(pl,
                            CellSegments.label(truthImage, MembraneLabel.ZERO), PredictedMembrane.SINGLETONS);
                    double[] iou = ClassOverlap.of(cellOrMembrane(pl), cellOrMembrane(truthImage), 2).iou();
                    return new double[] {SegmentationMetrics.pixelError(pl, truthImage, MembraneLabel.ZERO),
                        s.randError(), s.informationError(), iou[0], iou[1]};
                }
                LabelImage pl = LabelImage.threshold(pi, (float) (pi.depth().fullScale() / 2));
                SegmentationMetrics m = SegmentationMetrics.evaluate(pl, truthImage, MembraneLabel.ZERO,
                        PredictedMembrane.SINGLETONS);
                return new double[] {m.pixelError(), m.randError(), m.scores().informationError(),
                    m.overlap().iou()[0], m.overlap().iou()[1]};
            }
            case CLASSES -> {
                LabelImage p = LabelImage.of(pi);
                LabelImage t = LabelImage.of(ti);
                ClassOverlap o = ClassOverlap.of(p, t, k);
                int[] pv = p.labels();
                int[] tv = t.labels();
                long right = 0;
                for (int i = 0; i < pv.length; i++) {
                    right += pv[i] == tv[i] ? 1 : 0;
                }
                double[] v = new double[3 + k];
                v[0] = (double) right / pv.length;
                v[1] = o.meanIou();
                v[2] = o.meanDice();
                System.arraycopy(o.iou(), 0, v, 3, k);
                return v;
            }
            default -> {
                ObjectMatching m = ObjectMatching.of(pi.toIntArray(), ti.toIntArray());
                return new double[] {m.f1(), m.precision(), m.recall(), m.meanMatchedIou(), m.seg(), m.trueObjects(),
                    m.predictedObjects(), m.mergedPairs()};
            }
        }
    }

    /** @return 0 where the image is 0 (membrane), 1 elsewhere (cell) */
    private static LabelImage cellOrMembrane(LabelImage image) {
        int[] v = image.labels();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] != 0 ? 1 : 0;
        }
        return new LabelImage(image.width(), image.height(), v);
    }

    private static int max(GrayImage g) {
        int m = 0;
        for (int v : g.toIntArray()) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * @return the folder's images by file name without extension and without a label suffix
     *         ({@code _mask}), refusing none and repeated names
     */
    private static Map<String, Path> byStem(Path folder) throws ImageIoException {
        Map<String, Path> m = new TreeMap<>();
        for (Path p : ImageIo.listImagesStrict(folder)) {
            String stem = LabelledImages.pairName(p);
            Path before = m.put(stem, p);
            if (before != null) {
                throw new ImageIoException(p, "has the same name as " + before.getFileName() + " but another "
                        + "extension or suffix; keep one of them in " + folder, null);
            }
        }
        if (m.isEmpty()) {
            throw new ImageIoException(folder, "no .png or .tif images in this folder", null);
        }
        return m;
    }

    private static String row(String name, double[] v) {
        StringBuilder sb = new StringBuilder(String.format("%-12s", name));
        for (double x : v) {
            sb.append(Double.isNaN(x) ? String.format(" %11s", "n/a") : String.format(Locale.ROOT, " %11.4f", x));
        }
        return sb.toString();
    }
}
