package dev.daflow.bench;

import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.MnistOnTextures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's datasets: the built-in catalog's, and {@value #MNIST_TEX}, MNIST digits over
 * patches of colour photographs that ship with Debian packages ({@link MnistOnTextures}), built
 * when loaded (nothing is written; the photographs are read from the mirror folder's or the
 * cache's {@code mnist-tex/} folder, or from the installed packages, and checked against their
 * SHA-256). {@value #MNIST_TEX} is a benchmark pair only: the platform's catalog does not list it.
 */
final class BenchDatasets implements DatasetSource {
  /** Name of the digits-over-photographs dataset. */
  static final String MNIST_TEX = "mnist-tex";
  /** Seed of {@code mnist-tex}'s train split (MNIST's train digits). */
  static final long MNIST_TEX_TRAIN_SEED = 1;
  /** Seed of {@code mnist-tex}'s test split (MNIST's test digits). */
  static final long MNIST_TEX_TEST_SEED = 2;

  private final DatasetCatalog catalog;
  private final List<Path> pictureRoots;
  private MnistOnTextures textures;

  /**
   * @param mirror the dataset mirror folder, or null
   * @param cache the dataset cache folder
   */
  BenchDatasets(Path mirror, Path cache) {
    this(mirror, cache, roots(mirror, cache));
  }

  /**
   * @param pictureRoots the folders {@code mnist-tex}'s photographs are looked for in ({@link
   *     MnistOnTextures#readPictures})
   */
  BenchDatasets(Path mirror, Path cache, List<Path> pictureRoots) {
    this.catalog = new DatasetCatalog(mirror, cache);
    this.pictureRoots = List.copyOf(pictureRoots);
  }

  /** The mirror's and the cache's {@code mnist-tex/} folders, then {@code /} (installed). */
  static List<Path> roots(Path mirror, Path cache) {
    List<Path> roots = new ArrayList<>();
    if (mirror != null) {
      roots.add(mirror.resolve(MnistOnTextures.FOLDER));
    }
    roots.add(cache.resolve(MnistOnTextures.FOLDER));
    roots.add(Path.of("/"));
    return roots;
  }

  DatasetCatalog catalog() {
    return catalog;
  }

  @Override
  public ImageDataset load(String name, Split split, int limit) throws IOException {
    if (!name.equals(MNIST_TEX)) {
      return catalog.load(name, split, limit);
    }
    ImageDataset digits = catalog.load("mnist", split, limit);
    return generator().generate(digits,
        split == Split.TRAIN ? MNIST_TEX_TRAIN_SEED : MNIST_TEX_TEST_SEED,
        MNIST_TEX + "/" + split.name().toLowerCase(java.util.Locale.ROOT));
  }

  private synchronized MnistOnTextures generator() throws IOException {
    if (textures == null) {
      textures = new MnistOnTextures(MnistOnTextures.readPictures(pictureRoots));
    }
    return textures;
  }
}
