package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daflow.events.EpochBundleSaved;
import dev.daflow.events.EventEnvelope;
import dev.daflow.events.Topics;
import dev.daflow.events.TrainingCompleted;
import dev.daflow.events.TrainingRejected;
import dev.daflow.events.TrainingRequested;
import dev.daflow.events.TrainingStarted;
import dev.daflow.local.BrokerSecurity;
import dev.daflow.local.Services;
import dev.daflow.local.Services.Service;
import dev.daflow.platform.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, fault 4: trainer replicas in one consumer group, each its own process. Two replicas
 * get 12 requests (9 jobs, 2 sent again, 1 job id re-used for another request): each job trains
 * once, the copies are recognised as duplicates, the other request is rejected as a {@code
 * conflict}. Then 4 longer jobs (6 epochs: the third replica takes 40-70 s to start beside
 * them on 2 cores, and must join before they end), one per partition, run on the two (2 workers each), and a third
 * replica joins mid-job: the partition it takes hands its job over, the job resumes there from
 * its last checkpoint, no epoch is announced twice (one event id and one bundle per epoch), and
 * every job completes once. (The evaluator evaluates every epoch announced here, about 30
 * bundles: it is still busy with them when this test ends.) The platform's own trainer leaves first; the third
 * replica stays as the platform's trainer; whatever happens, no other replica of this test is
 * left running (a failing test must not break the next class).
 */
@ExtendWith(Platform.class)
@Order(8)
class ReplicasIT {
  private static final String MODEL = "f4-replicas";
  /** trainer-service's consumer group (TrainingRequestsListener.GROUP). */
  private static final String GROUP = "daflow-trainer";

  @Test
  void replicasTrainEachJobOnceAndAJoiningReplicaResumesAHandedOverJob() throws Exception {
    Platform p = Platform.get();
    FaultJobs.ingested(p);
    long t0 = System.nanoTime();
    List<Services.Running> replicas = new ArrayList<>();
    Services.Running kept = null;
    Throwable failure = null;
    try {
      // The platform's trainer leaves the group (SIGTERM); the two replicas below take its place,
      // one after the other: the first is given every partition, the second the latter half of
      // them in Kafka's order (topic, then partition; the sticky assignor keeps the first ones
      // of each owner). The third replica then takes the tail of each half, which holds
      // partitions of the requests topic the jobs are sent to (...requests.daflow-client,
      // sorted between the plain topic and the services' topic): started
      // together, the two would split each topic, and the third would be handed only other
      // topics' partitions, taking over no job.
      p.services.get(Service.TRAINER).process().close();
      KafkaSettings admin = new KafkaSettings(p.stack.kafka().bootstrapServers(), "e2e-admin",
          p.stack.kafka().clientSecurity(BrokerSecurity.ADMIN_USER));
      String topic = p.publisher.requestsTopic();
      int partitions;
      int all;
      Services.Running b;
      Services.Running c;
      Set<String> firstTwo;
      try (Admin a = Admin.create(admin.admin())) {
        partitions = a.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
            .partitions().size();
        all = requestsPartitions(a);
        b = replica(p, "f4-b", replicas);
        awaitGroup(a, 1, all);
        c = replica(p, "f4-c", replicas);
        firstTwo = awaitGroup(a, 2, all).members().stream().map(MemberDescription::consumerId)
            .collect(Collectors.toSet());
      }
      System.out.printf("e2e-f4: two replicas up in %d s%n", seconds(t0));

      // ---- 12 requests: 9 jobs, jobs 1 and 2 sent twice, job 3's id re-used for another request.
      long t1 = System.nanoTime();
      List<String> jobs = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        String id = "f4-job-" + i;
        jobs.add(id);
        TrainingRequested r = FaultJobs.job(id, MODEL, 1, 600, i);
        p.publisher.publish(r);
        if (i == 1 || i == 2) {
          p.publisher.publish(r); // the same request again: a duplicate
        }
        if (i == 3) {
          p.publisher.publish(FaultJobs.job(id, MODEL, 1, 600, 99)); // another request, same id
        }
      }
      for (String id : jobs) {
        p.events.await(TrainingCompleted.class, e -> e.jobId().equals(id), Duration.ofMinutes(4));
      }
      TrainingRejected conflict = p.events.await(TrainingRejected.class,
          e -> e.jobId().equals("f4-job-3"), Duration.ofMinutes(1));
      assertThat(conflict.reason()).isEqualTo("conflict");
      assertThat(conflict.problems()).singleElement().asString()
          .contains("job 'f4-job-3' exists", "with another request; use a new job id");
      FaultJobs.await("both copies counted as duplicates", Duration.ofMinutes(1),
          () -> FaultJobs.metric(b.url(), "daflow_training_duplicates_total")
              + FaultJobs.metric(c.url(), "daflow_training_duplicates_total") >= 2);
      assertThat(FaultJobs.metric(b.url(), "daflow_training_duplicates_total")
          + FaultJobs.metric(c.url(), "daflow_training_duplicates_total")).isEqualTo(2.0);
      for (String id : jobs) {
        assertThat(p.events.all(TrainingStarted.class, e -> e.jobId().equals(id)))
            .as("%s trained once", id).hasSize(1);
        assertThat(p.events.all(TrainingCompleted.class, e -> e.jobId().equals(id)))
            .as("%s completed once", id).hasSize(1);
      }
      assertThat(p.events.all(TrainingRejected.class, e -> e.jobId().startsWith("f4-job-")))
          .as("only the other request refused").hasSize(1);
      assertThat(p.events.all(TrainingStarted.class, e -> jobs.contains(e.jobId())).stream()
          .map(TrainingStarted::worker).collect(Collectors.toSet()))
          .as("both replicas trained").containsExactlyInAnyOrder("f4-b", "f4-c");
      System.out.printf("e2e-f4: 12 requests (9 jobs) done in %d s%n", seconds(t1));

      // ---- A rebalance mid-job: 4 longer jobs, one per partition, all running (2 workers each).
      long t2 = System.nanoTime();
      List<String> longJobs = onePerPartition(partitions);
      for (int i = 0; i < longJobs.size(); i++) {
        p.publisher.publish(FaultJobs.job(longJobs.get(i), MODEL, 6, 4000, 100 + i));
      }
      for (String id : longJobs) {
        p.events.await(EpochBundleSaved.class, e -> e.jobId().equals(id), Duration.ofMinutes(4));
      }
      assertThat(p.events.all(TrainingCompleted.class, e -> longJobs.contains(e.jobId())))
          .as("all still running when the third replica starts").isEmpty();
      System.out.printf("e2e-f4: the 4 longer jobs checkpointed an epoch in %d s; third replica "
          + "joining%n", seconds(t2));
      long t3 = System.nanoTime();
      Services.Running d = replica(p, "f4-d", replicas);
      Set<Integer> taken;
      try (Admin a = Admin.create(admin.admin())) {
        taken = awaitGroup(a, 3, all).members().stream()
            .filter(m -> !firstTwo.contains(m.consumerId()))
            .flatMap(m -> m.assignment().topicPartitions().stream())
            .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
            .collect(Collectors.toSet());
      }
      assertThat(taken).as("the third replica was given partitions of %s", topic).isNotEmpty();
      for (int partition : taken) {
        String id = longJobs.get(partition);
        TrainingStarted resumed = p.events.await(TrainingStarted.class,
            e -> e.jobId().equals(id) && e.startEpoch() > 0, Duration.ofMinutes(4));
        System.out.printf("e2e-f4: %s (partition %d) resumed on %s from epoch %d, %d s after the "
            + "third replica was started%n", id, partition, resumed.worker(),
            resumed.startEpoch(), seconds(t3));
        assertThat(resumed.worker()).as("the joining replica took %s over", id)
            .isEqualTo("f4-d");
      }
      for (String id : longJobs) {
        p.events.await(TrainingCompleted.class, e -> e.jobId().equals(id), Duration.ofMinutes(6));
      }
      for (String id : longJobs) {
        assertThat(p.events.all(TrainingStarted.class, e -> e.jobId().equals(id)
            && e.startEpoch() == 0)).as("%s trained from scratch once", id).hasSize(1);
        assertThat(p.events.all(TrainingCompleted.class, e -> e.jobId().equals(id)))
            .as("%s completed once", id).hasSize(1);
        Map<Integer, Set<String>> ids = new LinkedHashMap<>();
        Map<Integer, Set<String>> bundles = new LinkedHashMap<>();
        for (EventEnvelope<EpochBundleSaved> e : p.events.envelopes(EpochBundleSaved.class,
            x -> x.jobId().equals(id))) {
          ids.computeIfAbsent(e.event().epoch(), k -> new java.util.HashSet<>()).add(e.id());
          bundles.computeIfAbsent(e.event().epoch(), k -> new java.util.HashSet<>())
              .add(e.event().bundleKey() + "@" + e.event().sha256());
        }
        assertThat(ids.keySet()).as("%s: every epoch announced", id)
            .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        ids.forEach((epoch, set) -> assertThat(set).as("%s epoch %d: one announcement", id, epoch)
            .hasSize(1));
        bundles.forEach((epoch, set) -> assertThat(set).as("%s epoch %d: one bundle", id, epoch)
            .hasSize(1));
      }
      System.out.printf("e2e-f4: the longer jobs completed %d s after the third replica joined; "
          + "whole test %d s%n", seconds(t3), seconds(t0));
      kept = d; // the third replica stays as the platform's trainer
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      // Whatever happened, no replica of this test is left in the group beside the platform's
      // trainer: a failing test must not break the next class (it did, TrainerMemoryIT's jobs
      // went to a replica left running).
      try {
        stopReplicas(p, replicas, kept);
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Stops every replica this test started but {@code kept}, which becomes the platform's trainer;
   * without one (the test failed) the platform gets a trainer of its own settings again.
   */
  private static void stopReplicas(Platform p, List<Services.Running> replicas,
      Services.Running kept) {
    for (Services.Running r : replicas) {
      if (r != kept) {
        r.process().close();
      }
    }
    if (kept != null) {
      p.adopt(kept);
    } else {
      p.restart(Service.TRAINER, "trainer-after-f4");
    }
  }

  /**
   * A trainer replica named {@code id} with 2 workers, one native thread each, added to {@code
   * started} (which {@link #stopReplicas} stops).
   */
  private static Services.Running replica(Platform p, String id,
      List<Services.Running> started) {
    Services.Running r = p.startReplica(Service.TRAINER, "trainer-" + id, Map.of(
        "DAFLOW_TRAINER_REPLICA_ID", id, "DAFLOW_TRAINER_WORKERS", "2",
        "OMP_NUM_THREADS", "1"), List.of());
    started.add(r);
    return r;
  }

  /**
   * Waits until the group has {@code members}, stable, each given partitions, all {@code
   * partitions} of the requests topics given out (none still moving between two members).
   */
  private static ConsumerGroupDescription awaitGroup(Admin a, int members, int partitions)
      throws Exception {
    ConsumerGroupDescription[] last = new ConsumerGroupDescription[1];
    FaultJobs.await("group " + GROUP + " stable with " + members + " members",
        Duration.ofMinutes(2), () -> {
          ConsumerGroupDescription g = a.describeConsumerGroups(List.of(GROUP)).all().get()
              .get(GROUP);
          int assigned = 0;
          for (MemberDescription m : g.members()) {
            if (m.assignment().topicPartitions().isEmpty()) {
              return false;
            }
            assigned += m.assignment().topicPartitions().size();
          }
          last[0] = g;
          return g.groupState() == GroupState.STABLE && g.members().size() == members
              && assigned == partitions;
        });
    return last[0];
  }

  /** The partitions of every requests topic (the trainers read them all, by pattern). */
  private static int requestsPartitions(Admin a) throws Exception {
    List<String> topics = a.listTopics().names().get().stream()
        .filter(t -> Topics.TRAINING_REQUESTS_PATTERN.matcher(t).matches()).toList();
    return a.describeTopics(topics).allTopicNames().get().values().stream()
        .mapToInt(t -> t.partitions().size()).sum();
  }

  /** Job ids whose keys land one on each partition (Kafka's default partitioner: murmur2). */
  private static List<String> onePerPartition(int partitions) {
    String[] byPartition = new String[partitions];
    int found = 0;
    for (int n = 0; found < partitions; n++) {
      String id = "f4-long-" + n;
      int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)))
          % partitions;
      if (byPartition[partition] == null) {
        byPartition[partition] = id;
        found++;
      }
    }
    return List.of(byPartition);
  }

  private static long seconds(long since) {
    return (System.nanoTime() - since) / 1_000_000_000L;
  }
}
