package dev.daflow.testing;

import dev.daflow.local.LocalStack;
import dev.daflow.storage.StorageConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a real Kafka broker (KRaft) and a real S3 server (S3Proxy) as child processes, on free
 * ports, for a {@code @QuarkusTest}, and points the service at them:
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
 * class TrainerFlowTest { ... }
 * </pre>
 *
 * <p>The stack lives in a temporary folder (logs under {@code logs/}) and stops with the test
 * resource. {@link #stack()} gives tests the running stack, to publish events or read objects.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
  private static volatile LocalStack current;
  private LocalStack stack;

  /** The stack started for the running test class. */
  public static LocalStack stack() {
    if (current == null) {
      throw new IllegalStateException("LocalStackResource has not started a stack");
    }
    return current;
  }

  @Override
  public Map<String, String> start() {
    Path root;
    try {
      root = Files.createTempDirectory("daflow-test-stack-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stack = LocalStack.start(root, LocalStack.Options.FREE_PORTS);
    current = stack;
    StorageConfig s3 = stack.storage();
    return Map.of(
        "daflow.kafka.bootstrap-servers", stack.kafka().bootstrapServers(),
        "daflow.storage.endpoint", s3.endpoint().toString(),
        "daflow.storage.access-key", s3.accessKey(),
        "daflow.storage.secret-key", s3.secretKey());
  }

  @Override
  public void stop() {
    if (stack != null) {
      stack.close();
      current = null;
    }
  }
}
