package io.github.unet4j.examples.cli;

import io.github.unet4j.examples.onnx.PackageCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unet check-package}: checks a bioimage.io package as bioimageio.core's test does. */
@Command(name = "check-package", mixinStandardHelpOptions = true,
        description = "Check a bioimage.io model package (format 0.5, ONNX weights): the required rdf.yaml fields, "
                + "every file's sha256, the test tensors' shapes against the axes, and the test input run through the "
                + "preprocessing and the ONNX weights in ONNX Runtime against the test output.")
public final class CheckPackageCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PACKAGE", description = "The package's .zip.")
    Path zip;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException(zip + ": no such file; give a bioimage.io package .zip");
        }
        PackageCheck.Result r = PackageCheck.check(zip);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: passed (\"%s\")%n", zip, r.name());
        out.printf("  sha256 of %d files: %s%n", r.files().size(), String.join(", ", r.files()));
        out.printf("  test input %s -> output %s%n", Arrays.toString(r.inputShape()), Arrays.toString(r.outputShape()));
        out.printf("  ONNX Runtime vs test output: largest difference %.3g (tolerance %.3g + %.3g |expected|)%n",
                r.maxDifference(), r.tolerance()[0], r.tolerance()[1]);
        out.flush();
        return 0;
    }
}
