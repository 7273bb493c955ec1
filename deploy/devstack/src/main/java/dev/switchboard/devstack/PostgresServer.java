package dev.switchboard.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL server (binaries from Maven Central) on a free loopback port. */
public final class PostgresServer implements AutoCloseable {
  public static final String DATABASE = "switchboard";
  public static final String USER = "switchboard";

  private final EmbeddedPostgres postgres;
  private final String password;

  private PostgresServer(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /** Starts PostgreSQL with its data under {@code dataDir} and creates the Switchboard database. */
  public static PostgresServer start(Path dataDir, String password)
      throws IOException, SQLException {
    Path pgData = Files.createDirectories(dataDir.resolve("postgres"));
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(true)
            .setPort(FreePorts.next())
            .setServerConfig("max_connections", "300")
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE ROLE " + USER + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }
    return new PostgresServer(postgres, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
  }

  public int port() {
    return postgres.getPort();
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
