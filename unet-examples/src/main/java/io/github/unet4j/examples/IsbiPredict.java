package io.github.unet4j.examples;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.UNetTileModel;
import io.github.unet4j.core.runtime.UNetRuntime;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.core.infer.Normalization;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Segments the bundled ISBI 2012 test slices with a checkpoint by overlap-tile inference and
 * writes their cell probability maps as 32-bit float TIFFs.
 *
 * <p>{@code java -cp unet-examples/target/unet.jar io.github.unet4j.examples.IsbiPredict [model.zip] [out] [data]}
 */
public final class IsbiPredict {
    private IsbiPredict() {
    }

    /**
     * @param args optional checkpoint (default runs/isbi-example.zip), output folder (default
     *     runs/isbi-example) and data folder (default data/isbi2012)
     * @throws Exception if the checkpoint or images cannot be read or the maps written
     */
    public static void main(String[] args) throws Exception {
        UNetRuntime.setUp();
        Checkpoint checkpoint = Checkpoint.load(Path.of(args.length > 0 ? args[0] : "runs/isbi-example.zip"));
        Path out = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "runs/isbi-example"));
        UNet net = checkpoint.toNetwork(DataType.FLOAT);
        Normalization norm = Normalization.fromMetadata(checkpoint.metadata());
        OverlapTile tiler = new OverlapTile(UNetTileModel.of(net, 396), 2);
        Path data = Path.of(args.length > 2 ? args[2] : "data/isbi2012");
        for (Path slice : ImageIo.listImages(data.resolve("test"))) {
            GrayImage image = ImageIo.read(slice);
            float[][] p = tiler.predict(new float[][] {norm.apply(image.forNormalization())}, image.width(), image.height());
            String name = slice.getFileName().toString().replaceAll("\\.\\w+$", ".tif");
            ImageIo.write(new GrayImage(image.width(), image.height(), p[1], BitDepth.FLOAT32), out.resolve(name));
        }
    }
}
