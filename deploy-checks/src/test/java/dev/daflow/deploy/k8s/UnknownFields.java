package dev.daflow.deploy.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds what the Kubernetes model did not recognise: fabric8's model classes keep fields they do
 * not declare in {@code additionalProperties} instead of failing, so a typo ({@code
 * readinesProbe}) or a field of another API version parses silently. This walks every model
 * object reachable from an object's getters and reports each such field with its path; a kind the
 * model does not know at all is reported as a whole.
 */
public final class UnknownFields {

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  /** One problem per unknown field, e.g. {@code Deployment/x: unknown field spec.template.foo}. */
  public static List<String> of(HasMetadata object) {
    List<String> problems = new ArrayList<>();
    String label = KubeObjects.label(object);
    if (object instanceof GenericKubernetesResource) {
      problems.add(label + ": kind " + object.getApiVersion() + "/" + object.getKind()
          + " is not in the Kubernetes model");
      return problems;
    }
    walk(object, "", label, problems);
    return problems;
  }

  private static void walk(Object value, String path, String label, List<String> problems) {
    if (value == null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", label, problems);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", label, problems));
      return;
    }
    if (!value.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
      return;
    }
    for (PropertyDescriptor property : properties(value.getClass())) {
      Method getter = property.getReadMethod();
      if (getter == null || getter.getParameterCount() != 0) {
        continue;
      }
      Object child = invoke(getter, value);
      if (property.getName().equals("additionalProperties")) {
        if (child instanceof Map<?, ?> extra) {
          for (Object key : extra.keySet()) {
            problems.add(label + ": unknown field " + join(path, String.valueOf(key)));
          }
        }
        continue;
      }
      walk(child, join(path, property.getName()), label, problems);
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static PropertyDescriptor[] properties(Class<?> type) {
    try {
      return Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors();
    } catch (IntrospectionException e) {
      throw new IllegalStateException("cannot inspect " + type, e);
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }
}
