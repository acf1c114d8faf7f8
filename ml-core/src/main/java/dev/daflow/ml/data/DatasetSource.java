package dev.daflow.ml.data;

import java.io.IOException;

/**
 * Where training and evaluation get their pictures: the local {@link DatasetCatalog} (publishers'
 * files, a mirror folder) or, in the services, the datasets ingested into the object store.
 */
public interface DatasetSource {

  /** The two splits every dataset has. */
  enum Split { TRAIN, TEST }

  /**
   * The first {@code limit} pictures of a split ({@code 0}: all of them).
   *
   * @throws IllegalArgumentException for an unknown dataset name
   * @throws IOException if the pictures cannot be read or do not decode
   */
  ImageDataset load(String name, Split split, int limit) throws IOException;

  /** Every picture of a split. */
  default ImageDataset load(String name, Split split) throws IOException {
    return load(name, split, 0);
  }
}
