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
 * @param principal the CloudEvents extension attribute {@code principal} ({@code
 *     ce_principal}): the authenticated user on whose request the producer published it (the
 *     bearer token's name, e.g. who promoted a version by hand); null when the event names none
 *     (events of old, facts no user asked for). It is what the producing service says: a
 *     consumer trusts it as far as it trusts the producers that may write the topic (Kafka's
 *     authentication and ACLs), never as a user's own claim
 * @param <E> the payload type
 */
public record EventEnvelope<E extends DaflowEvent>(String id, URI source, EventType type,
    Instant time, E event, String principal) {

  /** An envelope that names no principal. */
  public EventEnvelope(String id, URI source, EventType type, Instant time, E event) {
    this(id, source, type, time, event, null);
  }

  /** The aggregate id: the record key, which decoding checked against the payload. */
  public String key() {
    return event.key();
  }
}
