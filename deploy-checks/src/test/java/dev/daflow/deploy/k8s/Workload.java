package dev.daflow.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An object that runs pods (Deployment, StatefulSet, Job) with its pod template.
 *
 * @param owner the Deployment, StatefulSet or Job
 * @param template its pod template
 * @param selector its label selector (null for a Job)
 */
public record Workload(HasMetadata owner, PodTemplateSpec template, LabelSelector selector) {

  /** Every workload of a rendered set. */
  public static Stream<Workload> all(KubeObjects objects) {
    return objects.objects().stream().flatMap(o -> of(o).stream());
  }

  /** The workload view of an object, if it runs pods. */
  public static Optional<Workload> of(HasMetadata o) {
    if (o instanceof Deployment d && d.getSpec() != null) {
      return Optional.of(new Workload(d, d.getSpec().getTemplate(), d.getSpec().getSelector()));
    }
    if (o instanceof StatefulSet s && s.getSpec() != null) {
      return Optional.of(new Workload(s, s.getSpec().getTemplate(), s.getSpec().getSelector()));
    }
    if (o instanceof Job j && j.getSpec() != null) {
      return Optional.of(new Workload(j, j.getSpec().getTemplate(), null));
    }
    return Optional.empty();
  }

  /** {@code Kind/name}. */
  public String label() {
    return KubeObjects.label(owner);
  }

  /** The owner's name. */
  public String name() {
    return owner.getMetadata().getName();
  }

  /** The pod spec (never null for a valid workload; an empty one otherwise). */
  public PodSpec pod() {
    return template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
  }

  /** The pod template's labels (empty when none). */
  public Map<String, String> podLabels() {
    return template == null || template.getMetadata() == null
        || template.getMetadata().getLabels() == null ? Map.of()
        : template.getMetadata().getLabels();
  }

  /** The pod template's annotations (empty when none). */
  public Map<String, String> podAnnotations() {
    return template == null || template.getMetadata() == null
        || template.getMetadata().getAnnotations() == null ? Map.of()
        : template.getMetadata().getAnnotations();
  }

  /** Containers and init containers. */
  public List<Container> containers() {
    return Stream.concat(list(pod().getInitContainers()).stream(),
        list(pod().getContainers()).stream()).toList();
  }

  /** Whether a Service selector picks this workload's pods. */
  public boolean selectedBy(Map<String, String> selector) {
    return selector != null && !selector.isEmpty()
        && podLabels().entrySet().containsAll(selector.entrySet());
  }

  /**
   * The container port a probe or Service targets: by name, or by number.
   *
   * @return the port number, if a container of the pod declares it
   */
  public Optional<Integer> resolvePort(IntOrString port) {
    if (port == null) {
      return Optional.empty();
    }
    for (Container c : list(pod().getContainers())) {
      for (ContainerPort p : list(c.getPorts())) {
        if (port.getIntVal() != null ? Objects.equals(p.getContainerPort(), port.getIntVal())
            : Objects.equals(p.getName(), port.getStrVal())) {
          return Optional.of(p.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
