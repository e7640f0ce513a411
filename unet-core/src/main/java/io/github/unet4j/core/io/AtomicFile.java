package io.github.unet4j.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file whole or not at all: the content goes to a hidden temporary file in the target's
 * folder (the same file system), which then replaces the target by an atomic rename. On any
 * failure the temporary file is deleted and an existing target is left untouched. Images,
 * checkpoints, logs and plots are all written this way. A process killed between the two
 * leaves its temporary file behind; the first write of a later process into that folder
 * removes it ({@link #sweepOnce}).
 */
public final class AtomicFile {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFile.class);
    /** The temporary files' names: {@code .<target name>.<up to 16 hex digits>.part}. */
    static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.part");
    private static final Instant PROCESS_START = ProcessHandle.current().info().startInstant()
            .orElseGet(() -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    /** Writes the content into the temporary file. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param temp the temporary file, created empty
         * @throws IOException if writing fails
         */
        void writeTo(Path temp) throws IOException;
    }

    /**
     * Makes the caller's exception for a failure.
     *
     * @param <E> the caller's exception type
     */
    @FunctionalInterface
    public interface Failure<E extends IOException> {
        /**
         * @param path    the target as given
         * @param problem what went wrong, one line, without the path
         * @param cause   the underlying exception, or null
         * @return the exception to throw
         */
        E create(Path path, String problem, Throwable cause);
    }

    private AtomicFile() {
    }

    /**
     * @param path    the target
     * @param content writes the content
     * @param type    the caller's exception type: thrown by {@code content} it passes through unchanged
     * @param failure makes the caller's exception for any other failure
     * @param <E>     the caller's exception type
     * @throws E naming the path and the problem ("cannot write: folder ... does not exist", ...)
     */
    public static <E extends IOException> void write(Path path, Content content, Class<E> type, Failure<E> failure)
            throws E {
        Path target = path.toAbsolutePath();
        Path folder = target.getParent();
        if (folder == null || !Files.exists(folder)) {
            throw failure.create(path, "cannot write: folder " + folder + " does not exist", null);
        }
        if (!Files.isDirectory(folder)) {
            throw failure.create(path, "cannot write: " + folder + " is a file, not a folder", null);
        }
        if (Files.isDirectory(target)) {
            throw failure.create(path, "cannot write: a folder of that name exists", null);
        }
        sweepOnce(folder);
        Path temp = createTemp(path, folder, target.getFileName().toString(), failure);
        boolean moved = false;
        try {
            content.writeTo(temp);
            try {
                // On POSIX file systems rename(2) replaces the target atomically.
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            if (type.isInstance(e)) {
                throw type.cast(e);
            }
            throw failure.create(path, "cannot write: " + reason(e), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary file {}: {}", temp, reason(e));
                }
            }
        }
    }

    /**
     * {@link #removeLeftovers} once per folder and process: the first write into a folder does it.
     *
     * @param folder a folder about to be written into
     */
    static void sweepOnce(Path folder) {
        if (SWEPT.add(folder)) {
            removeLeftovers(folder);
        }
    }

    /**
     * Deletes the temporary files a killed process left in a folder: only names this class makes
     * ({@code .<name>.<hex>.part}), and only files last modified before this process started, so
     * another running writer's files are left alone. A program that writes into a folder again
     * and again within one process (a command-line tool run in-process) calls it itself.
     *
     * @param folder a folder
     * @return how many files were removed
     */
    public static int removeLeftovers(Path folder) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, ".*.part")) {
            for (Path f : files) {
                if (TEMP_NAME.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f,
                        LinkOption.NOFOLLOW_LINKS) && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS)
                        .toInstant().isBefore(PROCESS_START)) {
                    Files.deleteIfExists(f);
                    removed++;
                    LOG.info("removed {}, the temporary file of an interrupted write", f);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not look for temporary files of interrupted writes in {}: {}", folder, reason(e));
        }
        return removed;
    }

    /**
     * Creates the hidden temporary file next to the target. Not Files.createTempFile: that
     * creates owner-only (0600) files on POSIX, and the moved file would keep those rights.
     */
    private static <E extends IOException> Path createTemp(Path path, Path folder, String name, Failure<E> failure)
            throws E {
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".part");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw failure.create(path, "cannot write: cannot create a temporary file in " + folder, e);
                }
            } catch (AccessDeniedException e) {
                throw failure.create(path, "cannot write: folder " + folder + " is not writable (permission denied)",
                        e);
            } catch (IOException e) {
                throw failure.create(path, "cannot write: cannot create a temporary file in " + folder + ": "
                        + reason(e), e);
            }
        }
    }

    /**
     * @param e an exception
     * @return a short, one-line human reason, without the stack of wrapper class names
     */
    public static String reason(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException nsf) {
            return "no such file or folder: " + nsf.getFile();
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause()) {
            String msg = t.getMessage();
            String part = msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
            if (sb.indexOf(part) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(part);
            }
        }
        return oneLine(sb.toString());
    }

    /**
     * @param text a message, possibly of several lines
     * @return it on one line, or "unknown problem" for none
     */
    public static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "unknown problem";
        }
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
