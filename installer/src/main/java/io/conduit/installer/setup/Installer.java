package io.conduit.installer.setup;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.pkg.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out a plan and undoes it. Install never overwrites a file that is not Conduit's: a file
 * Conduit owns whole is replaced only if it is exactly what the last install wrote; a user's own script
 * gets a marker block, after a byte-for-byte backup. Every write is atomic, and if one fails the ones
 * before it are rolled back, so a failed install leaves nothing. Uninstall removes exactly what
 * install added: created files (unless changed since), edited files restored from their backup
 * byte for byte (or, if the user changed them since, just Conduit's block taken out), folders it created.
 */
public final class Installer {
    private final Path recordFile;
    private final List<String> report = new ArrayList<>();

    public Installer(Path recordFile) {
        this.recordFile = recordFile;
    }

    /** What the last call did or left, one line each. */
    public List<String> report() {
        return report;
    }

    public static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses the plan, before anything is written, if it would overwrite a file that is not Conduit's. */
    public void check(List<Change> changes) {
        InstallRecord record = InstallRecord.read(recordFile);
        for (Change change : changes) {
            if (change.changesNothing() || change.before() == null || change.editsUserFile()) {
                continue;
            }
            InstallRecord.Entry ours = record.find(change.file());
            if (ours == null || !ours.after.equals(sha(change.before()))) {
                throw new ConduitException(ErrorCode.USAGE, change.file() + " exists and is not the file Conduit wrote"
                        + " (yours, or changed since); move it aside and install again. Nothing was changed");
            }
        }
    }

    public void install(List<Change> changes) {
        check(changes);
        InstallRecord record = InstallRecord.read(recordFile);
        List<Runnable> undo = new ArrayList<>();
        try {
            createDirs(recordFile.getParent(), record, undo);
            for (Change change : changes) {
                if (change.changesNothing()) {
                    report.add("unchanged " + change.file());
                    continue;
                }
                createDirs(change.file().getParent(), record, undo);
                String backup = null;
                if (change.editsUserFile() && change.before() != null && record.find(change.file()) == null) {
                    Path copy = uniqueSibling(change.file(), ".conduit-backup");
                    Files.copy(change.file(), copy);
                    undo.add(() -> deleteQuietly(copy));
                    backup = copy.toString();
                }
                String before = change.before();
                write(change.file(), change.after());
                undo.add(() -> restore(change.file(), before));
                InstallRecord.Entry existing = record.find(change.file());
                if (existing == null) {
                    record.entries.add(new InstallRecord.Entry(change.file().toString(), change.before() == null,
                            sha(change.after()), backup, change.editsUserFile()));
                } else {
                    if (change.editsUserFile() && change.before() != null && !sha(change.before()).equals(existing.after)
                            && existing.backup != null) {
                        // The user changed the file since the first install: its backup is stale now, and
                        // restoring it would lose their edits. Uninstall will take out only the block.
                        Files.deleteIfExists(Path.of(existing.backup));
                        existing.backup = null;
                    }
                    existing.after = sha(change.after());
                }
                report.add((change.before() == null ? "created " : "updated ") + change.file() + "  (" + change.why() + ")");
            }
            record.write(recordFile);
        } catch (IOException | RuntimeException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                try {
                    undo.get(i).run();
                } catch (RuntimeException undoFailed) {
                    report.add("could not roll back a step: " + undoFailed.getMessage()); // the rest still roll back
                }
            }
            if (e instanceof ConduitException c) {
                throw c;
            }
            throw new ConduitException(ErrorCode.IO_ERROR, "install failed: " + e.getMessage() + "; everything it had"
                    + " written was rolled back", e);
        }
    }

    public void uninstall() {
        InstallRecord record = InstallRecord.read(recordFile);
        if (record.isEmpty() && !Files.exists(recordFile)) {
            report.add("nothing to remove: " + recordFile + " records no install");
            return;
        }
        try {
            for (int i = record.entries.size() - 1; i >= 0; i--) {
                InstallRecord.Entry e = record.entries.get(i);
                Path file = Path.of(e.file);
                String now = read(file);
                if (now == null) {
                    report.add("already gone " + file);
                } else if (e.created) {
                    if (sha(now).equals(e.after)) {
                        Files.delete(file);
                        report.add("removed " + file);
                    } else if (e.userFile && MarkedBlock.has(now)) {
                        write(file, MarkedBlock.remove(now));
                        report.add("took Conduit's block out of " + file + " (you added to it since install; your lines stay)");
                    } else {
                        report.add("left " + file + ": changed since install, so it is yours now");
                    }
                } else if (sha(now).equals(e.after) && e.backup != null && Files.isRegularFile(Path.of(e.backup))) {
                    write(file, Files.readString(Path.of(e.backup), StandardCharsets.UTF_8));
                    Files.delete(Path.of(e.backup));
                    report.add("restored " + file + " from " + e.backup);
                } else {
                    write(file, MarkedBlock.remove(now));
                    if (e.backup != null) {
                        Files.deleteIfExists(Path.of(e.backup));
                    }
                    report.add("took Conduit's block out of " + file + " (you changed it since install; your changes stay)");
                }
            }
            Files.deleteIfExists(recordFile);
            for (int i = record.createdDirs.size() - 1; i >= 0; i--) {
                Path dir = Path.of(record.createdDirs.get(i));
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                } catch (IOException gone) {
                    // already removed, or in use: harmless to leave
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "uninstall stopped: " + e.getMessage()
                    + "; what it had not reached is still recorded in " + recordFile, e);
        }
    }

    private static void createDirs(Path dir, InstallRecord record, List<Runnable> undo) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            record.createdDirs.add(p.toString());
            undo.add(() -> deleteQuietly(p));
        }
    }

    /**
     * Replaces a file's text atomically, writing through a symbolic link (a dotfiles checkout's
     * {@code init.py} stays a link) and keeping the file's permissions.
     */
    private static void write(Path file, String text) {
        try {
            Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
            boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
            var permissions = posix && Files.exists(target) ? Files.getPosixFilePermissions(target) : null;
            AtomicFiles.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
            if (permissions != null) {
                Files.setPosixFilePermissions(target, permissions);
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restore(Path file, String before) {
        if (before == null) {
            deleteQuietly(file);
        } else {
            write(file, before);
        }
    }

    private static Path uniqueSibling(Path file, String suffix) {
        Path candidate = file.resolveSibling(file.getFileName() + suffix);
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = file.resolveSibling(file.getFileName() + suffix + "." + i);
        }
        return candidate;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort during a rollback
        }
    }

    static String sha(String text) {
        return Sha256.ofBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
