/**
 * {@code llmlab top}'s full-screen terminal UI, on JLine's terminal (raw mode, size, signals) and
 * its {@code Display} (which writes only what changed between two frames).
 *
 * <p>Three layers, so that all but the last are tested without a terminal:
 * <ul>
 *   <li>{@code Controller}: snapshots and keys in; the {@code UiState} the keys set (filter, sort,
 *       selection, drill-down, help, pause), the {@code Frame} on screen (frozen while paused), each
 *       row's recent points ({@code Trends}), and the export;
 *   <li>{@code Screen} and {@code Table}: a pure function from (settings, frame, state, width,
 *       height) to exactly {@code height} lines of at most {@code width} columns; the colours come
 *       from {@code Thresholds}, a function of a row and a column that SLOs will feed;
 *   <li>{@link dev.llmlab.top.tui.TerminalView}: the public entry and a thin shell, one thread
 *       taking keys ({@code KeyDecoder}), resizes, Ctrl-C and refresh ticks from a queue, and
 *       putting the terminal back however it ends.
 * </ul>
 *
 * <p>JLine is reached through its JNI provider, which works on the JDK 21 the project targets
 * (the FFM one needs 22); JLine stays in this package.
 */
package dev.llmlab.top.tui;
