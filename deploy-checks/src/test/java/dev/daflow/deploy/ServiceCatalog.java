package dev.daflow.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The four DAFlow services and what each really reads, from the repository's sources. */
public final class ServiceCatalog {

  /** The services, by folder name. */
  public static final List<String> SERVICES =
      List.of("data-service", "trainer-service", "evaluator-service", "inference-service");

  /**
   * Variables read by the images themselves, not by the application: the ubi9 openjdk image's
   * run-java.sh (JAVA_OPTS, JAVA_OPTS_APPEND, JAVA_MAX_MEM_RATIO, JAVA_INITIAL_MEM_RATIO), the JVM
   * (JAVA_TOOL_OPTIONS) and OpenMP in ND4J's natives (OMP_NUM_THREADS).
   */
  public static final Set<String> IMAGE_ENV = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND",
      "JAVA_MAX_MEM_RATIO", "JAVA_INITIAL_MEM_RATIO", "JAVA_TOOL_OPTIONS", "OMP_NUM_THREADS");

  /**
   * Variables read by the services' token verification (MicroProfile JWT, quarkus-smallrye-jwt
   * through service-common): the issuer and where its public key is.
   */
  public static final Set<String> JWT_ENV =
      Set.of("MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");

  /**
   * The shared Quarkus library whose {@code @ConfigMapping} roots (Kafka, object store, service
   * name) belong to every service that depends on it, by artifact id and source folder.
   */
  static final String COMMON_ARTIFACT = "daflow-service-common";
  private static final String COMMON_SOURCES = "service-common/src/main/java";

  /** Shared modules whose config groups and getenv calls the services use. */
  private static final List<String> SHARED_SOURCES = List.of("platform/src/main/java");

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");
  private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");

  private ServiceCatalog() {}

  /** Reads every service of {@link #SERVICES} from the checkout. */
  public static Map<String, ServiceFacts> load(Repo repo) {
    Map<String, ServiceFacts> services = new LinkedHashMap<>();
    for (String name : SERVICES) {
      services.put(name, read(repo, name));
    }
    return services;
  }

  /** Reads one service: its application.properties and its Java sources. */
  public static ServiceFacts read(Repo repo, String name) {
    Path folder = repo.path(name);
    Properties properties = properties(folder.resolve("src/main/resources/application.properties"));
    String port = properties.getProperty("quarkus.http.port");
    if (port == null) {
      throw new IllegalStateException(name + ": application.properties sets no quarkus.http.port");
    }
    Set<String> env = new TreeSet<>(IMAGE_ENV);
    env.addAll(JWT_ENV);
    for (String key : properties.stringPropertyNames()) {
      env.add(ServiceFacts.envName(PROFILE.matcher(key).replaceFirst("")));
      Matcher m = EXPRESSION.matcher(properties.getProperty(key));
      while (m.find()) {
        env.add(ServiceFacts.envName(m.group(1)));
      }
    }
    List<Path> mappingRoots = new ArrayList<>(List.of(folder.resolve("src/main/java")));
    if (dependsOn(folder.resolve("pom.xml"), COMMON_ARTIFACT)) {
      mappingRoots.add(repo.path(COMMON_SOURCES));
    }
    ConfigMappingScanner.Result scanned = ConfigMappingScanner.scan(mappingRoots,
        SHARED_SOURCES.stream().map(repo::path).toList());
    if (scanned.properties().isEmpty()) {
      throw new IllegalStateException(name + ": no @ConfigMapping found in its sources");
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    for (Map.Entry<String, Optional<String>> p : scanned.properties().entrySet()) {
      env.add(ServiceFacts.envName(p.getKey()));
      p.getValue().ifPresent(v -> defaults.put(p.getKey(), v));
    }
    env.addAll(scanned.getenv());
    return new ServiceFacts(name, Integer.parseInt(port.trim()), Set.copyOf(env),
        Map.copyOf(defaults));
  }

  /** Whether the POM {@code pom} declares a dependency on {@code artifactId}. */
  static boolean dependsOn(Path pom, String artifactId) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList dependencies = factory.newDocumentBuilder().parse(pom.toFile())
          .getElementsByTagName("dependency");
      for (int i = 0; i < dependencies.getLength(); i++) {
        NodeList ids = ((Element) dependencies.item(i)).getElementsByTagName("artifactId");
        if (ids.getLength() > 0 && ids.item(0).getTextContent().trim().equals(artifactId)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pom, e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException(pom + " is not a readable POM: " + e.getMessage(), e);
    }
  }

  private static Properties properties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return p;
  }
}
