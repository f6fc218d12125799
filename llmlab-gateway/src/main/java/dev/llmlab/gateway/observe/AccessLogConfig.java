package dev.llmlab.gateway.observe;

import java.nio.file.Path;

/**
 * Where the access log goes; the config's {@code access_log:} section.
 *
 * <pre>
 * access_log:
 *   destination: stdout        # stdout (default) | file | off
 *   file: /var/log/llmlab/access.jsonl   # required with destination: file; appended to
 *   queue: 8192                # lines waiting for the writer; past it lines are dropped and counted
 * </pre>
 *
 * @param destination null reads as {@link Destination#STDOUT}
 * @param file        the file to append to, with {@link Destination#FILE} only
 * @param queue       the writer's queue capacity in lines; 0 reads as {@link #DEFAULT_QUEUE}
 * @throws IllegalArgumentException naming the field: a file destination without a file, a file with
 *     another destination, a queue outside 1..1,000,000
 */
public record AccessLogConfig(Destination destination, Path file, int queue) {
    public static final int DEFAULT_QUEUE = 8192;

    public enum Destination {
        STDOUT,
        FILE,
        OFF
    }

    public AccessLogConfig {
        if (destination == null) destination = Destination.STDOUT;
        if (queue == 0) queue = DEFAULT_QUEUE;
        if (queue < 1 || queue > 1_000_000) {
            throw new IllegalArgumentException("access_log.queue must be within 1..1000000 lines, got " + queue);
        }
        if (destination == Destination.FILE && file == null) {
            throw new IllegalArgumentException("access_log.file is required with access_log.destination: file");
        }
        if (destination != Destination.FILE && file != null) {
            throw new IllegalArgumentException("access_log.file is set but access_log.destination is "
                    + destination.name().toLowerCase() + "; set destination: file");
        }
    }

    /** The default: JSON lines on standard output. */
    public static AccessLogConfig stdout() {
        return new AccessLogConfig(Destination.STDOUT, null, DEFAULT_QUEUE);
    }

    public static AccessLogConfig off() {
        return new AccessLogConfig(Destination.OFF, null, DEFAULT_QUEUE);
    }

    public static AccessLogConfig file(Path file) {
        return new AccessLogConfig(Destination.FILE, file, DEFAULT_QUEUE);
    }
}
