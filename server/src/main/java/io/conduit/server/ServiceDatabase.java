package io.conduit.server;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * An embedded H2 database's files hold artists' notes and who wrote them, so they are created owner-only
 * (0600; H2 itself makes them as the umask says) and H2 keeps no trace file beside them.
 */
public final class ServiceDatabase {
    private ServiceDatabase() {
    }

    public static Connection connect(String jdbcUrl) {
        Path h2File = h2File(jdbcUrl);
        try {
            if (h2File != null) {
                createPrivately(h2File);
            }
            Connection c = DriverManager.getConnection(jdbcUrl);
            String product = c.getMetaData().getDatabaseProductName();
            try (Statement s = c.createStatement()) {
                if (product.equalsIgnoreCase("H2")) {
                    s.execute("SET WRITE_DELAY 0");
                    s.execute("SET TRACE_LEVEL_FILE 0");
                } else if (product.equalsIgnoreCase("PostgreSQL")) {
                    s.execute("SET synchronous_commit TO on");
                }
            }
            c.setAutoCommit(true);
            if (h2File != null) {
                restrictAll(h2File);
            }
            return c;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot make the service database " + redacted(jdbcUrl)
                    + " owner-only: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot open the service database " + redacted(jdbcUrl)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The main file of an embedded H2 database ({@code jdbc:h2:file:/srv/x} or {@code jdbc:h2:/srv/x} is
     * {@code /srv/x.mv.db}), or null for PostgreSQL, in-memory and server-mode URLs.
     */
    static Path h2File(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return null;
        }
        String name = jdbcUrl.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("^(mem|tcp|ssl|zip|split|nio\\w*|async|retry):.*")) {
            return null;
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Path.of(name + ".mv.db").toAbsolutePath();
    }

    /** Creates the database's file empty and owner-only when it does not exist yet; H2 keeps the mode it finds. */
    private static void createPrivately(Path file) throws IOException {
        if (Files.notExists(file)) {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PrivateFiles.fileAttributes());
        }
    }

    /** Makes every file of the database owner-only (one made before this release, a lock file). */
    private static void restrictAll(Path file) throws IOException {
        String base = file.getFileName().toString().substring(0, file.getFileName().toString().length() - ".mv.db".length());
        try (var siblings = Files.list(file.getParent())) {
            for (Path sibling : siblings.filter(f -> f.getFileName().toString().startsWith(base + ".")).toList()) {
                PrivateFiles.restrict(sibling);
            }
        }
    }

    /** The URL without what follows a {@code password=}, for messages and logs. */
    public static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
