package dev.daflow.ml.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** Versions of the runtime and libraries, for model cards. */
public final class Versions {
  private Versions() {}

  public static Map<String, String> libraries() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("java", System.getProperty("java.version"));
    v.put("nd4j", implementationVersion(Nd4j.class, "1.0.0-M2.1"));
    v.put("nd4j-backend", Nd4j.getBackend().getClass().getSimpleName());
    v.put("daflow", implementationVersion(Versions.class, "dev"));
    return v;
  }

  private static String implementationVersion(Class<?> c, String fallback) {
    String s = c.getPackage().getImplementationVersion();
    return s == null ? fallback : s;
  }
}
