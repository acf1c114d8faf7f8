package dev.daflow.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The repository checkout the checks read: k8s/, docker-compose.yml, .env.example, the services'
 * sources and the parent POM.
 *
 * @param root the repository root (the folder of the parent pom.xml)
 */
public record Repo(Path root) {

  /** System property naming the root; surefire sets it from the reactor's root. */
  public static final String ROOT_PROPERTY = "daflow.repo.root";

  /**
   * The checkout these tests run in: {@value #ROOT_PROPERTY} if set, else the first folder from
   * the working directory upwards that holds both pom.xml and k8s/.
   *
   * @throws IllegalStateException when neither finds it
   */
  public static Repo locate() {
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path root = Path.of(configured).toAbsolutePath().normalize();
      if (!Files.isDirectory(root.resolve("k8s"))) {
        throw new IllegalStateException(ROOT_PROPERTY + "=" + root + " has no k8s/ folder");
      }
      return new Repo(root);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("k8s"))) {
        return new Repo(dir);
      }
    }
    throw new IllegalStateException("no repository root (pom.xml next to k8s/) above "
        + Path.of("").toAbsolutePath() + "; set -D" + ROOT_PROPERTY);
  }

  /** A path inside the checkout. */
  public Path path(String first, String... more) {
    return root.resolve(Path.of(first, more));
  }

  /** The text of a file inside the checkout. */
  public String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path(relative) + ": " + e.getMessage(), e);
    }
  }

  /** {@code project/version} of the parent POM, the tag of the images (e.g. 0.1.0-SNAPSHOT). */
  public String projectVersion() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element project = factory.newDocumentBuilder().parse(path("pom.xml").toFile())
          .getDocumentElement();
      for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("version")) {
          return e.getTextContent().trim();
        }
      }
      throw new IllegalStateException("pom.xml has no project/version");
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the version of " + path("pom.xml"), e);
    }
  }
}
