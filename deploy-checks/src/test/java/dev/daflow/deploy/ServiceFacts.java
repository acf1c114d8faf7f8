package dev.daflow.deploy;

import java.util.Map;
import java.util.Set;

/**
 * What one DAFlow service really uses, read from its sources: the contract every manifest and
 * docker-compose.yml is checked against.
 *
 * @param name the service's folder and DNS name, e.g. {@code trainer-service}
 * @param httpPort {@code quarkus.http.port} of its application.properties
 * @param envNames every environment variable it reads: the MicroProfile names of its config
 *     mapping's properties and of its application.properties keys, the variables its
 *     application.properties expressions name, the ones its code reads with System.getenv, and the
 *     ones its image's launcher reads ({@link ServiceCatalog#IMAGE_ENV})
 * @param defaults the {@code @WithDefault} value of each config-mapping property that has one
 */
public record ServiceFacts(String name, int httpPort, Set<String> envNames,
    Map<String, String> defaults) {

  /** Image repository of the service, as docker-compose.yml and k8s/ name it. */
  public String imageRepository() {
    return "daflow/" + name;
  }

  /** Whether the service reads {@code env}. */
  public boolean reads(String env) {
    return envNames.contains(env);
  }

  /**
   * The MicroProfile Config environment name of a property: every character that is not a letter
   * or digit becomes {@code _}, then upper case ({@code daflow.trainer.work-dir} is {@code
   * DAFLOW_TRAINER_WORK_DIR}).
   */
  public static String envName(String property) {
    StringBuilder sb = new StringBuilder(property.length());
    for (char c : property.toCharArray()) {
      sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
    }
    return sb.toString();
  }
}
