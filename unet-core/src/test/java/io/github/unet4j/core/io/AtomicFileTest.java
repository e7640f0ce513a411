package io.github.unet4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files that a killed process left behind are removed by the next write there, and only those. */
class AtomicFileTest {

    @TempDir
    Path dir;

    private static Path old(Path file) throws IOException {
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        return file;
    }

    private void writeInto(Path folder) throws IOException {
        AtomicFile.write(folder.resolve("out.bin"), t -> Files.write(t, new byte[] {1, 2}), IOException.class,
                (p, problem, cause) -> new IOException(p + ": " + problem, cause));
    }

    @Test
    void aKilledWritersTemporaryFilesGoWithTheNextWrite() throws IOException {
        Path checkpoint = old(dir.resolve(".model.zip.5f3a9c0d12e4b7a1.part"));
        Path label = old(dir.resolve(".00.png.abc.part"));
        Path notOurs = old(dir.resolve(".notes.part")); // no hex part: not a name AtomicFile makes
        Path upper = old(dir.resolve(".x.ABC.part")); // upper-case hex: not ours either
        Path visible = old(dir.resolve("model.zip.5f3a.part")); // not hidden
        Path running = dir.resolve(".model.zip.77.part"); // a running writer's (modified after this process started)
        Files.write(running, new byte[0]);
        writeInto(dir);
        assertFalse(Files.exists(checkpoint));
        assertFalse(Files.exists(label));
        assertTrue(Files.exists(notOurs));
        assertTrue(Files.exists(upper));
        assertTrue(Files.exists(visible));
        assertTrue(Files.exists(running));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(dir.resolve("out.bin")));
    }

    @Test
    void aFolderIsSweptOncePerProcess() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("once"));
        writeInto(sub);
        Path later = old(sub.resolve(".model.zip.1.part"));
        writeInto(sub);
        assertTrue(Files.exists(later), "only the first write into a folder looks for leftovers");
    }

    @Test
    void aFolderOfThatNameIsLeftAlone() throws IOException {
        Path folder = Files.createDirectory(dir.resolve(".data.1.part"));
        Files.setLastModifiedTime(folder, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        writeInto(dir);
        assertTrue(Files.isDirectory(folder));
    }
}
