package dev.daflow.inference.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each replica reads in a group of its own, named from its replica id. */
class PromotionListenerTest {

  @Test
  void groupIdPerReplica() {
    assertThat(PromotionListener.groupId("inference-7f9c-2")).isEqualTo(
        "daflow-inference-inference-7f9c-2");
    assertThat(PromotionListener.groupId(" pod/a b ")).isEqualTo("daflow-inference-pod-a-b");
    assertThat(PromotionListener.groupId("")).isEqualTo("daflow-inference-replica");
  }
}
