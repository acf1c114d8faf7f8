package dev.daflow.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects of a rendered kustomization, each typed by the fabric8 Kubernetes model (a
 * Deployment becomes {@code io.fabric8.kubernetes.api.model.apps.Deployment}). Fields the model
 * does not know end up in each object's {@code additionalProperties} ({@link UnknownFields});
 * kinds it does not know become {@link GenericKubernetesResource}.
 *
 * @param objects the objects in document order
 */
public record KubeObjects(List<HasMetadata> objects) {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Parses multi-document YAML.
   *
   * @throws AssertionError naming the document the model cannot read
   */
  public static KubeObjects parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    int index = 0;
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      index++;
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map<?, ?> map)) {
        throw new AssertionError("document " + index + " is not an object: " + document);
      }
      KubernetesResource resource;
      try {
        resource = SERIALIZATION.convertValue(map, KubernetesResource.class);
      } catch (RuntimeException e) {
        throw new AssertionError("document " + index + " (" + map.get("kind") + " "
            + name(map) + ") does not fit the Kubernetes model: " + e.getMessage(), e);
      }
      if (!(resource instanceof HasMetadata object)) {
        throw new AssertionError("document " + index + " is not a Kubernetes object: " + map);
      }
      objects.add(object);
    }
    return new KubeObjects(List.copyOf(objects));
  }

  /** The objects of one type. */
  public <T extends HasMetadata> Stream<T> ofType(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast);
  }

  /** The object of a type and name, if any. */
  public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return ofType(type).filter(o -> Objects.equals(o.getMetadata().getName(), name)).findFirst();
  }

  /** The keys of the ConfigMap of that name, empty if there is none. */
  public Optional<Map<String, String>> configMap(String name) {
    return find(ConfigMap.class, name).map(c -> c.getData() == null ? Map.of() : c.getData());
  }

  /** The keys of the Secret of that name ({@code data} and {@code stringData}), if there is one. */
  public Optional<List<String>> secretKeys(String name) {
    return find(Secret.class, name).map(s -> {
      List<String> keys = new ArrayList<>();
      if (s.getData() != null) {
        keys.addAll(s.getData().keySet());
      }
      if (s.getStringData() != null) {
        keys.addAll(s.getStringData().keySet());
      }
      return keys;
    });
  }

  /** {@code Kind/name} of an object, for messages. */
  public static String label(HasMetadata o) {
    return o.getKind() + "/" + (o.getMetadata() == null ? "?" : o.getMetadata().getName());
  }

  private static Object name(Map<?, ?> map) {
    return map.get("metadata") instanceof Map<?, ?> m ? m.get("name") : "?";
  }
}
