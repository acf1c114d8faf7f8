package dev.daflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.MnistOnTextures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchDatasetsTest {
  /** The shared datasets folder, as ml-core's tests find it. */
  private static Path datasets() {
    String prop = System.getProperty("test.datasets");
    Path root = prop != null && !prop.isBlank() && !prop.contains("${") ? Path.of(prop)
        : Path.of("..", "..", "shared", "datasets");
    return root.toAbsolutePath().normalize();
  }

  @Test
  void theCatalogsDatasetsComeFromTheCatalog(@TempDir Path cache) throws IOException {
    ImageDataset usps = new BenchDatasets(datasets(), cache, List.of(cache))
        .load("usps", Split.TEST, 5);
    assertThat(usps.count()).isEqualTo(5);
    assertThat(usps.name()).isEqualTo("usps/test");
  }

  @Test
  void mnistTexWithoutItsPhotographsSaysWhichPackageAndHowToGetIt(@TempDir Path roots)
      throws IOException {
    BenchDatasets data = new BenchDatasets(datasets(), roots, List.of(roots));
    assertThatThrownBy(() -> data.load(BenchDatasets.MNIST_TEX, Split.TEST, 5))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(MnistOnTextures.PICTURES.get(0).debianPackage())
        .hasMessageContaining("bench/backgrounds.sh");
    // A file that is not the package's is refused by its checksum, wherever it lies.
    MnistOnTextures.PictureFile f = MnistOnTextures.PICTURES.get(0);
    Files.write(roots.resolve(f.fileName()), new byte[] {1});
    assertThatThrownBy(() -> data.load(BenchDatasets.MNIST_TEX, Split.TEST, 5))
        .hasMessageContaining(f.sha256());
  }

  @Test
  void thePhotographsAreLookedForInTheMirrorTheCacheThenInstalled() {
    Path mirror = Path.of("/m");
    Path cache = Path.of("/c");
    assertThat(BenchDatasets.roots(mirror, cache)).containsExactly(Path.of("/m/mnist-tex"),
        Path.of("/c/mnist-tex"), Path.of("/"));
    assertThat(BenchDatasets.roots(null, cache)).containsExactly(Path.of("/c/mnist-tex"),
        Path.of("/"));
  }
}
