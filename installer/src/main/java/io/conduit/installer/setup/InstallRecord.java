package io.conduit.installer.setup;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What install did, so uninstall can undo exactly that: each file it created (with the digest it
 * wrote) or edited (with the digest after the edit and where the original was backed up), and each
 * folder it had to create. Kept as JSON beside the registrations ({@code ~/.conduit/install.json},
 * or {@code .conduit-install.json} in a studio folder).
 */
public final class InstallRecord {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** One file install wrote. */
    public static final class Entry {
        String file;
        boolean created;
        String after;
        String backup;
        /** The file is the user's own script, of which only Conduit's block is ours. */
        boolean userFile;

        Entry(String file, boolean created, String after, String backup, boolean userFile) {
            this.file = file;
            this.created = created;
            this.after = after;
            this.backup = backup;
            this.userFile = userFile;
        }
    }

    List<Entry> entries = new ArrayList<>();
    List<String> createdDirs = new ArrayList<>();

    public static InstallRecord read(Path file) {
        try {
            InstallRecord record = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), InstallRecord.class);
            if (record == null || record.entries == null || record.createdDirs == null) {
                throw new JsonParseException("entries or createdDirs missing");
            }
            return record;
        } catch (NoSuchFileException e) {
            return new InstallRecord();
        } catch (IOException | JsonParseException e) {
            throw new ConduitException(ErrorCode.FILE_FORMAT, file + " (what conduit install did) is damaged: "
                    + e.getMessage() + "; nothing was changed. Move it aside to start afresh");
        }
    }

    public void write(Path file) {
        AtomicFiles.write(file, out -> out.write(GSON.toJson(this).getBytes(StandardCharsets.UTF_8)));
    }

    Entry find(Path file) {
        for (Entry e : entries) {
            if (e.file.equals(file.toString())) {
                return e;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
