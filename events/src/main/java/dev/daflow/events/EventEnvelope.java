package dev.daflow.events;

import java.net.URI;
import java.time.Instant;

/**
 * A received event with its CloudEvents envelope: what an idempotent consumer needs besides the
 * payload.
 *
 * @param id the {@code ce_id}: unique per event, equal for re-publications of the same event
 *     (see {@link EventIds}), so a consumer that remembers processed ids skips duplicates
 * @param source the {@code ce_source}: the producing service, e.g. {@code /daflow/trainer-service}
 * @param type the event type ({@code ce_type})
 * @param time the {@code ce_time}: when the producer says the event happened
 * @param event the payload
 * @param <E> the payload type
 */
public record EventEnvelope<E extends DaflowEvent>(String id, URI source, EventType type,
    Instant time, E event) {

  /** The aggregate id: the record key, which decoding checked against the payload. */
  public String key() {
    return event.key();
  }
}
