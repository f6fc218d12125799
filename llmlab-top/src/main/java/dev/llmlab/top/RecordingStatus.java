package dev.llmlab.top;

/**
 * The session a snapshot belongs to, when it is recorded or replayed: so that a view says so, and
 * says when a recording lost part of what top read.
 *
 * @param mode    {@code record} or {@code replay}
 * @param file    the recording's path, as given
 * @param speed   a replay's speed (recording seconds per second); 0 when recording
 * @param scrapes scrapes written (recording) or played (replay) so far
 * @param lost    scrapes the recording dropped because its file could not keep up (a replay: as far as
 *                played)
 * @param ended   a replay has played its whole file; its clock stays at the end
 * @param note    what else is wrong: why writing the file stopped, or how a replayed file ends early;
 *                null when nothing is
 */
public record RecordingStatus(
        String mode, String file, double speed, long scrapes, long lost, boolean ended, String note) {
    static final String RECORD = "record";
    static final String REPLAY = "replay";

    public boolean replay() {
        return REPLAY.equals(mode);
    }

    /** One line for a text view: {@code recording to top.jsonl.gz (120 scrapes)}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (replay()) {
            b.append("replay of ").append(file).append(" at ").append(SnapshotText.num(speed, speed % 1 == 0 ? 0 : 2));
            b.append("x (").append(scrapes).append(" scrapes)");
            if (ended) b.append(": ended");
            if (lost > 0) b.append("; the recording lost ").append(lost).append(" scrapes up to here");
        } else {
            b.append("recording to ").append(file).append(" (").append(scrapes).append(" scrapes)");
            if (lost > 0) b.append("; ").append(lost).append(" lost: the disk did not keep up");
        }
        if (note != null) b.append("; ").append(note);
        return b.toString();
    }
}
