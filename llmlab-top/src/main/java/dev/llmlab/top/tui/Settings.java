package dev.llmlab.top.tui;

import java.time.Duration;
import java.time.ZoneId;

/**
 * What the UI is given and the keys do not change.
 *
 * @param zone the header's clock's time zone
 */
record Settings(Duration window, Duration interval, ZoneId zone, Thresholds thresholds) {}
