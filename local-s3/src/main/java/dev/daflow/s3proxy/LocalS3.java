package dev.daflow.s3proxy;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * How to launch {@link S3ProxyMain} in a child JVM: its class name and where this module's
 * classes are (a jar, or a folder in a build), to put on the class path after S3Proxy's
 * jar-with-dependencies. Refers to no S3Proxy class, so a launcher without S3Proxy on its own
 * class path can use it.
 */
public final class LocalS3 {
  /** The main class to run. */
  public static final String MAIN_CLASS = "dev.daflow.s3proxy.S3ProxyMain";

  private LocalS3() {}

  /** The jar or folder this module's classes are loaded from. */
  public static Path classPathEntry() {
    try {
      return Path.of(LocalS3.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + MAIN_CLASS, e);
    }
  }
}
