package dev.daflow.data.rest;

import dev.daflow.ml.data.RemoteFile;
import java.util.List;

/**
 * One dataset of the built-in catalog and the publishers' files it is made from.
 *
 * @param name the catalog name, also the name it is stored under
 * @param files the files, with their addresses and checksums
 */
public record CatalogEntry(String name, List<File> files) {

  /**
   * @param name the file's name
   * @param folder its folder in a mirror ({@code daflow.data.mirror} or {@code mirror-url})
   * @param urls the publisher's addresses, tried in order
   * @param md5 the published md5, or {@code null} where there is none
   * @param md5OfContent whether the md5 is of the gzip-decompressed content
   */
  public record File(String name, String folder, List<String> urls, String md5,
      boolean md5OfContent) {

    static File of(RemoteFile f) {
      return new File(f.fileName(), f.folders().get(0),
          f.urls().stream().map(Object::toString).toList(), f.md5(), f.md5OfGunzipped());
    }
  }
}
