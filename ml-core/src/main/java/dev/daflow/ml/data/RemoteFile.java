package dev.daflow.ml.data;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One file of a published dataset: where a local mirror keeps it, where its publisher serves it,
 * and its md5 checksum where known.
 *
 * @param folders mirror/cache folders to look in, in order; the first one is used for the cache
 * @param fileName the file's name, e.g. {@code train-images-idx3-ubyte.gz}
 * @param urls download addresses, tried in order
 * @param md5 lower-case hex md5, or {@code null} where no checksum is known
 * @param md5OfGunzipped whether {@code md5} is of the gzip-decompressed content rather than of
 *     the file itself (so that any faithful re-compression passes)
 */
public record RemoteFile(
    List<String> folders, String fileName, List<URI> urls, String md5, boolean md5OfGunzipped) {

  public RemoteFile {
    folders = List.copyOf(folders);
    urls = List.copyOf(urls);
    Objects.requireNonNull(fileName, "fileName");
    if (folders.isEmpty()) {
      throw new IllegalArgumentException(fileName + ": no folder");
    }
  }

  /** A file in one folder with one address. */
  public static RemoteFile of(String folder, String fileName, String url, String md5) {
    return new RemoteFile(List.of(folder), fileName, List.of(URI.create(url)), md5, false);
  }
}
