package dev.daflow.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from what the event is about, for events a producer may publish twice (after
 * a crash between its work and its offset commit, or on a retry): the same facts give the same
 * {@code ce_id}, so consumers see a duplicate instead of a second event. For example {@code
 * EventIds.of(EventType.EPOCH_BUNDLE_SAVED, jobId, epoch)}.
 */
public final class EventIds {
  private EventIds() {}

  /** A name-based UUID of the type and the parts (in order). */
  public static String of(EventType type, Object... parts) {
    StringBuilder sb = new StringBuilder(type.ceType());
    for (Object part : parts) {
      String s = String.valueOf(part);
      sb.append('/').append(s.length()).append(':').append(s);
    }
    return UUID.nameUUIDFromBytes(sb.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }
}
