package dev.llmlab.gateway.cache;

import dev.llmlab.gateway.account.TokenUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An answer as its client got it, kept to be given again: its status, its content type, its body
 * (a stream's events as they were sent, {@code data:} lines and blank lines included), and what it
 * used, so that a hit can say what it saved.
 *
 * @param status        the HTTP status (only 200s are kept)
 * @param contentType   the answer's content type; {@code text/event-stream} for a stream
 * @param stream        whether the body is a stream's events, to be given as a stream
 * @param body          the bytes the client got; not copied: never changed once kept
 * @param model         the model the provider was asked for, to price what a hit saved; or null
 * @param usage         what the answer used, reported or estimated; or null when nothing was counted
 * @param storedAtMillis when it was kept, wall clock ({@code age} of a hit)
 */
public record CachedAnswer(
        int status,
        String contentType,
        boolean stream,
        byte[] body,
        String model,
        TokenUsage usage,
        long storedAtMillis) {
    /** The first byte of the shared tier's values: a layout of another version reads as a miss. */
    private static final byte LAYOUT = 1;

    public CachedAnswer {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100-599, got " + status);
        if (body == null) throw new IllegalArgumentException("body is required");
    }

    /** The answer as the shared tier keeps it, with when it expires there (wall clock). */
    byte[] encode(long expiresAtMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(LAYOUT);
            out.writeShort(status);
            out.writeBoolean(stream);
            out.writeLong(storedAtMillis);
            out.writeLong(expiresAtMillis);
            out.writeUTF(contentType == null ? "" : contentType);
            out.writeUTF(model == null ? "" : model);
            out.writeBoolean(usage != null);
            if (usage != null) {
                out.writeLong(usage.inputTokens());
                out.writeLong(usage.outputTokens());
                out.writeLong(usage.cachedInputTokens());
                out.writeBoolean(usage.estimated());
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A value of the shared tier, with when it expires there; null when it is not one this version reads. */
    static Stored decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != LAYOUT) return null;
            int status = in.readShort();
            boolean stream = in.readBoolean();
            long storedAt = in.readLong();
            long expiresAt = in.readLong();
            String contentType = in.readUTF();
            String model = in.readUTF();
            TokenUsage usage = null;
            if (in.readBoolean()) usage = new TokenUsage(in.readLong(), in.readLong(), in.readLong(), in.readBoolean());
            int length = in.readInt();
            if (length < 0 || length > value.length) return null;
            byte[] body = in.readNBytes(length);
            if (body.length != length) return null;
            return new Stored(
                    new CachedAnswer(
                            status,
                            contentType.isEmpty() ? null : contentType,
                            stream,
                            body,
                            model.isEmpty() ? null : model,
                            usage,
                            storedAt),
                    expiresAt);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A decoded value of the shared tier. */
    record Stored(CachedAnswer answer, long expiresAtMillis) {}
}
