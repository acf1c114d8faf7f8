package dev.daflow.service.common;

import dev.daflow.platform.kafka.EventConsumer;
import dev.daflow.service.common.messaging.EventHandler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A service's handler: with no broker its consumer never starts, and readiness must say why. */
@Singleton
public class TestHandler implements EventHandler {
  @Override
  public EventConsumer.Options options() {
    return EventConsumer.Options.quick("test-group", List.of("test.topic"));
  }

  @Override
  public CompletionStage<?> handle(EventConsumer.Delivery delivery) {
    return CompletableFuture.completedFuture(null);
  }
}
