package dev.daflow.service.common.messaging;

import dev.daflow.events.EventCodec;
import dev.daflow.platform.kafka.KafkaSettings;
import dev.daflow.service.common.retry.Backoff;
import dev.daflow.service.common.startup.BackgroundSetup;
import dev.daflow.service.common.startup.SetupSteps;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link ManagedConsumer} for each {@link EventHandler} bean of the service: made with the
 * bean (so readiness knows them from the start), started at start-up after the topics (and the
 * buckets, where the handler needs them) exist, closed at shutdown. A service without a handler
 * (data-service only produces) has none.
 */
@Singleton
public class ManagedConsumers {
  private final List<ManagedConsumer> consumers = new ArrayList<>();

  public ManagedConsumers(@Any Instance<EventHandler> handlers, SetupSteps steps,
      KafkaSettings settings, EventCodec codec, MeterRegistry registry, Backoff backoff) {
    ManagedConsumer.Parts parts = new ManagedConsumer.Parts(settings, codec, registry, backoff);
    for (EventHandler handler : handlers) {
      // Topics, then buckets where needed, then the handler's own steps.
      List<BackgroundSetup.Step> setup = new ArrayList<>();
      setup.add(steps.topics());
      if (handler.needsBuckets()) {
        setup.add(steps.buckets());
      }
      setup.addAll(handler.setup());
      consumers.add(new ManagedConsumer(handler, setup, parts));
    }
  }

  /** The service's consumers, for readiness. */
  public List<ManagedConsumer> all() {
    return List.copyOf(consumers);
  }

  void onStart(@Observes StartupEvent event) {
    consumers.forEach(ManagedConsumer::start);
  }

  void onStop(@Observes ShutdownEvent event) {
    consumers.forEach(ManagedConsumer::close);
  }
}
