package dev.daflow.data.service;

import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetFormatException;
import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.RemoteFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in datasets of ml-core's {@link DatasetCatalog}: each file is found in the mirror
 * folder, the cache, the mirror server or at its publisher, and checked against the publisher's
 * md5 wherever it was found (so the mirror's SVHN stand-in is refused as SVHN), then both splits
 * are decoded with the catalog's readers.
 */
public final class CatalogDatasets {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogDatasets.class);

  private final DatasetCatalog catalog;
  private final List<Path> roots;

  /**
   * @param catalog the catalog, with its mirror and cache
   * @param roots the mirror and cache folders, taken out of file names in messages
   */
  public CatalogDatasets(DatasetCatalog catalog, List<Path> roots) {
    this.catalog = catalog;
    // As given (the catalog's messages name files that way) and absolute.
    this.roots = roots.stream()
        .flatMap(p -> java.util.stream.Stream.of(p, p.toAbsolutePath(),
            p.toAbsolutePath().normalize()))
        .distinct()
        .sorted(java.util.Comparator.comparingInt((Path p) -> p.toString().length()).reversed())
        .toList();
  }

  /** The names the catalog knows. */
  public List<String> names() {
    return DatasetCatalog.names();
  }

  /** Whether {@code name} is a catalog dataset. */
  public boolean knows(String name) {
    return DatasetCatalog.names().contains(name);
  }

  /**
   * Both splits of a catalog dataset.
   *
   * @throws UnknownCatalogDatasetException for a name the catalog does not know
   * @throws DatasetRejectedException if a file cannot be fetched, has the wrong checksum or does
   *     not decode
   */
  public Map<Split, ImageDataset> read(String name) throws DatasetRejectedException {
    if (!knows(name)) {
      throw new UnknownCatalogDatasetException(name, names());
    }
    try {
      for (RemoteFile f : DatasetCatalog.files(name)) {
        Path p = catalog.verifiedFile(f);
        LOG.info("{}: using {}", name, p);
      }
      Map<Split, ImageDataset> splits = new LinkedHashMap<>();
      for (Split split : Split.values()) {
        long start = System.nanoTime();
        ImageDataset d = catalog.load(name, split);
        LOG.info("{}: decoded {} ({} pictures of {}x{}x{}) in {} ms", name,
            split.name().toLowerCase(java.util.Locale.ROOT), d.count(), d.height(), d.width(),
            d.channels(), (System.nanoTime() - start) / 1_000_000);
        splits.put(split, d);
      }
      FolderDatasets.checkSplitsAgree(splits);
      return splits;
    } catch (DatasetFormatException e) {
      throw DatasetRejectedException.unreadable(relative(e.getMessage()));
    } catch (IOException e) {
      // Mostly: the file is in no folder and could not be downloaded (the message names the
      // addresses tried).
      String m = relative(e.getMessage());
      throw new DatasetRejectedException(m.startsWith("cannot download")
          ? DatasetRejectedException.Kind.DOWNLOAD_FAILED
          : DatasetRejectedException.Kind.UNREADABLE, m, e);
    } catch (IllegalArgumentException e) {
      throw DatasetRejectedException.unreadable(relative(e.getMessage()));
    }
  }

  private String relative(String message) {
    String m = message == null ? "unreadable" : message;
    for (Path root : roots) {
      m = m.replace(root + java.io.File.separator, "");
    }
    return m;
  }
}
