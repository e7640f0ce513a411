package io.github.unet4j.examples.cli;

import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.core.onnx.OnnxImport;
import io.github.unet4j.train.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The model behind {@code --checkpoint}: a checkpoint, an {@code .onnx} file unet4j exported, or
 * a bioimage.io package unet4j exported (its ONNX weights), all read into the same
 * {@link ModelFile}.
 */
final class ModelInput {
    private ModelInput() {
    }

    /**
     * @param path a checkpoint, {@code .onnx} or bioimage.io {@code .zip}
     * @return its model
     * @throws IOException naming the file and what is wrong
     */
    static ModelFile read(Path path) throws IOException {
        if (path.getFileName() != null && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(".onnx")) {
            if (!Files.isRegularFile(path)) {
                throw new CheckpointException(path, "no such file", null);
            }
            return OnnxImport.read(path, Files.readAllBytes(path));
        }
        byte[] weights = bioimageioWeights(path);
        return weights != null ? OnnxImport.read(path, weights) : Checkpoint.load(path).model();
    }

    /** @return the ONNX weights of a bioimage.io package, or null if the file is not one */
    private static byte[] bioimageioWeights(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return null; // the checkpoint reader names the problem
        }
        try (ZipFile z = new ZipFile(path.toFile())) {
            ZipEntry rdf = z.getEntry("rdf.yaml");
            if (rdf == null) {
                return null;
            }
            Object parsed;
            try (InputStream in = z.getInputStream(rdf)) {
                parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(in.readAllBytes(),
                        StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new CheckpointException(path, "rdf.yaml is not valid YAML", e);
            }
            Object source = parsed instanceof Map<?, ?> m && m.get("weights") instanceof Map<?, ?> w
                    && w.get("onnx") instanceof Map<?, ?> onnx ? onnx.get("source") : null;
            ZipEntry entry = source == null ? null : z.getEntry(source.toString());
            if (entry == null) {
                throw new CheckpointException(path, "a bioimage.io package without ONNX weights in the zip; unet "
                        + "predict runs packages unet4j exported", null);
            }
            try (InputStream in = z.getInputStream(entry)) {
                return in.readAllBytes();
            }
        } catch (java.util.zip.ZipException e) {
            return null; // not a zip: the checkpoint reader names the problem
        }
    }
}
