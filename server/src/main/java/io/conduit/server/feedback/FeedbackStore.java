package io.conduit.server.feedback;

import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.server.ServiceDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the service keeps artists' feedback: one table, the same SQL for the embedded H2 database (the
 * default, a file beside the service) and a studio's PostgreSQL (a {@code jdbc:postgresql:} URL). Each
 * note carries an id its agent chose, which is the table's key: a note uploaded twice (a retry after a
 * lost answer) is stored once.
 */
public final class FeedbackStore implements AutoCloseable {
    static final String[] TEXT_FIELDS = {"user", "model", "version", "note", "host", "hostVersion", "route", "show",
            "shot", "asset", "department", "requestId", "inputs", "outputs", "preview"};

    private final String url;
    private final Connection connection;

    private FeedbackStore(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /** Opens (and creates if needed) the store at a JDBC URL, e.g. {@code jdbc:h2:file:/srv/conduit/feedback}. */
    public static FeedbackStore open(String jdbcUrl) {
        try {
            Connection c = ServiceDatabase.connect(jdbcUrl);
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS conduit_feedback (id VARCHAR(64) PRIMARY KEY,"
                        + " at TIMESTAMP NOT NULL, rating INTEGER NOT NULL");
                for (String f : TEXT_FIELDS) {
                    ddl.append(", ").append(column(f)).append(" VARCHAR(").append(width(f)).append(")");
                }
                s.execute(ddl.append(")").toString());
                for (String f : TEXT_FIELDS) { // a table made by an older service gains the columns added since
                    s.execute("ALTER TABLE conduit_feedback ADD COLUMN IF NOT EXISTS " + column(f) + " VARCHAR("
                            + width(f) + ")");
                }
            }
            return new FeedbackStore(jdbcUrl, c);
        } catch (SQLException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot open the feedback database " + jdbcUrl + ": "
                    + e.getMessage(), e);
        }
    }

    /** The JDBC URL this store was opened at; the service keeps its telemetry in the same database. */
    public String url() {
        return url;
    }

    /**
     * Wide enough for anything an agent accepts (a note's JSON is at most 64 KiB; a preview is a 256-pixel
     * PNG as a data URL), so no note is ever refused by the database and left blocking the ones after it.
     */
    private static int width(String field) {
        return 1_000_000;
    }

    private static String column(String field) {
        return "f_" + field.toLowerCase(java.util.Locale.ROOT); // prefixed: "user" and "at" are reserved words somewhere
    }

    /** Stores one note; false when a note with its id is already there (an upload retried). */
    public synchronized boolean add(JsonObject note) {
        StringBuilder sql = new StringBuilder("INSERT INTO conduit_feedback (id, at, rating");
        for (String f : TEXT_FIELDS) {
            sql.append(", ").append(column(f));
        }
        sql.append(") VALUES (?, ?, ?").append(", ?".repeat(TEXT_FIELDS.length)).append(")");
        try (PreparedStatement p = connection.prepareStatement(sql.toString())) {
            p.setString(1, note.get("id").getAsString());
            p.setTimestamp(2, Timestamp.from(Instant.parse(note.get("at").getAsString())));
            p.setInt(3, note.get("rating").getAsInt());
            for (int i = 0; i < TEXT_FIELDS.length; i++) {
                var value = note.get(TEXT_FIELDS[i]);
                p.setString(4 + i, value == null || value.isJsonNull() ? "" : value.isJsonPrimitive() ? value.getAsString()
                        : value.toString());
            }
            p.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false; // unique key: this note is already stored
            }
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot store feedback in " + url + ": " + e.getMessage(), e);
        }
    }

    /** The notes on {@code model} (every model when empty) since {@code since}, oldest first. */
    public synchronized List<JsonObject> list(String model, Instant since) {
        String sql = "SELECT * FROM conduit_feedback WHERE at >= ?" + (model.isEmpty() ? "" : " AND f_model = ?")
                + " ORDER BY at, id";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setTimestamp(1, Timestamp.from(since));
            if (!model.isEmpty()) {
                p.setString(2, model);
            }
            List<JsonObject> notes = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    JsonObject o = new JsonObject();
                    o.addProperty("id", r.getString("id"));
                    o.addProperty("at", r.getTimestamp("at").toInstant().toString());
                    o.addProperty("rating", r.getInt("rating"));
                    for (String f : TEXT_FIELDS) {
                        o.addProperty(f, r.getString(column(f)));
                    }
                    notes.add(o);
                }
            }
            return notes;
        } catch (SQLException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read feedback from " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing is best effort
        }
    }
}
