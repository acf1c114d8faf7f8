package dev.daflow.testing;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points a service under test at {@link TestTokens}'s issuer and public key ({@code
 * mp.jwt.verify.*}), made at test time. Registered as a {@link ConfigSource} service of this
 * (test-scope) module, so every {@code @QuarkusTest} verifies tokens as in production, with no
 * per-service set-up. Ordinal 275: above {@code application.properties}, below the environment.
 */
public class TestJwtConfigSource implements ConfigSource {
  private Map<String, String> properties;

  private synchronized Map<String, String> properties() {
    if (properties == null) {
      properties = TestTokens.verification();
    }
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties().keySet();
  }

  @Override
  public String getValue(String name) {
    return properties().get(name);
  }

  @Override
  public String getName() {
    return "daflow-test-jwt";
  }

  @Override
  public int getOrdinal() {
    return 275;
  }
}
