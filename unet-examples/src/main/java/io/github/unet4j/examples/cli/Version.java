package io.github.unet4j.examples.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"unet4j " + (v == null ? "(development build)" : v)};
    }
}
