package dev.llmlab.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback set up in code, found through the ServiceLoader: parsing a logback.xml costs about a
 * tenth of a second of start-up, which matters for a server that should answer health checks in
 * well under a second. Short lines on stderr; Netty only from WARN, DJL only from ERROR. A user's own logback.xml on
 * the classpath ({@code -Dlogback.configurationFile=...}) still wins, as logback checks it first.
 */
public final class LogConfig extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        // DJL (bench --tokenizer FILE) logs its GPU probe and platform lookup at WARN and INFO on
        // every load; what matters of it reaches the user as --tokenizer's own error.
        context.getLogger("ai.djl").setLevel(Level.ERROR);
        // The gateway's connection pool says at INFO that it starts and stops, and at WARN with a
        // stack trace that a connection broke; the gateway says what that means for it in one line.
        context.getLogger("com.zaxxer.hikari").setLevel(Level.ERROR);
        // Flyway reports five lines per start; the gateway says in one where its state is.
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
