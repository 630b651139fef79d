package io.conduit.server.feedback;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's durable queue of feedback: each note is one JSON line appended to {@code spool.jsonl} and
 * forced to disk before the artist is told it was kept, so it survives {@code kill -9} and a reboot; the
 * ids of notes the service has acknowledged are appended to {@code uploaded.txt} the same way. A line
 * torn by a crash mid-write is not JSON and is skipped. Pending = spooled and not acknowledged.
 */
public final class FeedbackSpool {
    private final Path spool;
    private final Path uploaded;

    public FeedbackSpool(Path folder) {
        this.spool = folder.resolve("spool.jsonl");
        this.uploaded = folder.resolve("uploaded.txt");
    }

    public synchronized void append(JsonObject note) {
        appendLine(spool, note.toString());
    }

    synchronized void markUploaded(String id) {
        appendLine(uploaded, id);
    }

    synchronized List<JsonObject> pending() {
        Set<String> done = new HashSet<>(lines(uploaded));
        List<JsonObject> pending = new ArrayList<>();
        for (String line : lines(spool)) {
            try {
                JsonObject note = JsonParser.parseString(line).getAsJsonObject();
                if (note.has("id") && !done.contains(note.get("id").getAsString())) {
                    pending.add(note);
                }
            } catch (RuntimeException torn) {
                // the end of a line a crash cut short: nothing the artist was told was kept
            }
        }
        return pending;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void appendLine(Path file, String line) {
        try {
            io.conduit.core.io.PrivateFiles.folder(file.getParent());
            String prefix = "";
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    reader.read(last, reader.size() - 1);
                    if (last.get(0) != '\n') {
                        prefix = "\n"; // a crash cut the last line short: start afresh so this one stays whole
                    }
                }
            }
            try (FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND), io.conduit.core.io.PrivateFiles.fileAttributes())) {
                ByteBuffer bytes = ByteBuffer.wrap((prefix + line + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot record feedback in " + file + ": " + e.getMessage(), e);
        }
    }
}
