package dev.llmlab.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class ServersTest {
    private static String ping(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void redis_answersAndComesBackEmptyAfterARestart() throws Exception {
        try (RedisServer r = RedisServer.start()) {
            assertThat(ping(r.port())).isEqualTo("+PONG");
            r.restart();
            assertThat(ping(r.port())).isEqualTo("+PONG");
        }
    }

    @Test
    void postgres_keepsItsDataAcrossAStop() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "")) {
                c.createStatement().execute("create table t (x int); insert into t values (42)");
            }
            pg.stop();
            pg.startAgain();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                    ResultSet rs = c.createStatement().executeQuery("select x from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }
}
