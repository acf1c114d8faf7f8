package dev.daflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventTypeTest {

  @Test
  void everyEventRecordIsRegisteredOnce() {
    assertThat(Arrays.stream(EventType.values()).<Class<?>>map(EventType::eventClass))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrder(DaflowEvent.class.getPermittedSubclasses());
    for (EventType t : EventType.values()) {
      assertThat(t.eventClass().isRecord()).as(t.shortName()).isTrue();
      assertThat(EventType.of(t.eventClass())).isEqualTo(t);
      assertThat(EventType.ofCeType(t.ceType())).contains(t);
    }
    assertThat(EventType.ofCeType("dev.daflow.nothing")).isEmpty();
    // A renamed type is still known by its former name.
    assertThat(EventType.ofCeType("dev.daflow.checkpoint.saved"))
        .contains(EventType.EPOCH_BUNDLE_SAVED);
    assertThat(EventType.EPOCH_BUNDLE_SAVED.ceType()).isEqualTo("dev.daflow.epoch-bundle.saved");
    assertThat(EventType.ofCeType(null)).isEmpty();
  }

  @Test
  void eachAggregateHasOneTopic() {
    Map<String, String> topics = Arrays.stream(EventType.values())
        .collect(Collectors.toMap(EventType::shortName, Topics::of));
    assertThat(topics).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("dataset.ingested", "daflow.datasets"),
        Map.entry("dataset.rejected", "daflow.datasets"),
        Map.entry("dataset.deleted", "daflow.datasets"),
        Map.entry("training.requested", "daflow.training.requests"),
        Map.entry("training.rejected", "daflow.training"),
        Map.entry("training.started", "daflow.training"),
        Map.entry("training.progress", "daflow.training"),
        Map.entry("epoch-bundle.saved", "daflow.training"),
        Map.entry("training.completed", "daflow.training"),
        Map.entry("training.failed", "daflow.training"),
        Map.entry("training.cancelled", "daflow.training"),
        Map.entry("model.evaluated", "daflow.models"),
        Map.entry("model.promoted", "daflow.models"),
        Map.entry("model.promotion.declined", "daflow.models")));
    assertThat(Topics.all()).containsExactlyInAnyOrderElementsOf(topics.values().stream()
        .distinct().toList());
  }

  @Test
  void ceTypesArePrefixedShortNames() {
    assertThat(EventType.TRAINING_STARTED.ceType()).isEqualTo("dev.daflow.training.started");
    assertThat(Topics.of(Samples.of(EventType.MODEL_PROMOTED))).isEqualTo(Topics.MODELS);
    assertThat(Samples.of(EventType.MODEL_PROMOTED).key()).isEqualTo(Samples.MODEL);
    assertThat(Samples.of(EventType.DATASET_REJECTED).key()).isEqualTo("my-digits");
  }

  @Test
  void eventsAreImmutable() {
    TrainingProgress p = (TrainingProgress) Samples.of(EventType.TRAINING_PROGRESS);
    assertThatThrownBy(() -> p.losses().put("x", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(p.losses().keySet()).containsExactly("label", "domain");
  }
}
