package io.conduit.server;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens a connection to the service's database (embedded H2 or PostgreSQL) with every commit made
 * durable before it returns, because the service answers 201 only after a commit and a client then
 * forgets what it sent. H2 otherwise writes committed changes to its file up to half a second later
 * (its {@code WRITE_DELAY}), so a crash in that window lost acknowledged notes; PostgreSQL is told
 * {@code synchronous_commit = on} so a server configured for speed does not do the same for us.
 */
public final class ServiceDatabase {
    private ServiceDatabase() {
    }

    public static Connection connect(String jdbcUrl) {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            String product = c.getMetaData().getDatabaseProductName();
            try (Statement s = c.createStatement()) {
                if (product.equalsIgnoreCase("H2")) {
                    s.execute("SET WRITE_DELAY 0");
                } else if (product.equalsIgnoreCase("PostgreSQL")) {
                    s.execute("SET synchronous_commit TO on");
                }
            }
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot open the service database " + redacted(jdbcUrl)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The URL without what follows a {@code password=}, for messages and logs. */
    public static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
