package dev.daflow.data.service;

import java.util.Arrays;
import java.util.List;

/**
 * The layouts an uploaded or downloaded archive (zip, tar or tar.gz, recognised by its content)
 * may hold. Each gives a {@code train} and a {@code test} split.
 */
public enum DatasetFormat {
  /** One folder per class under {@code train/} and {@code test/}. */
  IMAGE_FOLDER("image-folder-zip", "train/<class>/<picture> and test/<class>/<picture> "
      + "(PNG, JPEG, BMP or GIF; class names are the sorted folder names, the same in both), "
      + "at the top of the archive or inside one folder"),
  /** MNIST-M as its authors published it. */
  MNIST_M("mnist-m-archive", "MNIST-M as published (mnist_m.tar.gz): folders mnist_m_train/ "
      + "and mnist_m_test/ of PNGs and the files mnist_m_train_labels.txt and "
      + "mnist_m_test_labels.txt (lines 'NAME LABEL'), anywhere in the archive"),
  /** The four MNIST IDX files. */
  MNIST_IDX("mnist-idx-archive", "the four MNIST IDX files train-images-idx3-ubyte, "
      + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw "
      + "or .gz)"),
  /** USPS as the ESL book's text files, or the HDF5 file. */
  USPS("usps-archive", "USPS as zip.train and zip.test (ESL text, raw or .gz), or usps.h5"),
  /** SVHN's cropped digits. */
  SVHN_MAT("svhn-mat-archive", "SVHN cropped digits: train_32x32.mat and test_32x32.mat");

  private final String id;
  private final String description;

  DatasetFormat(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The name used in requests, e.g. {@code image-folder-zip}. */
  public String id() {
    return id;
  }

  /** What the archive must hold, for people. */
  public String description() {
    return description;
  }

  /** Every format's id. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(DatasetFormat::id).toList();
  }

  /**
   * The format of that id.
   *
   * @throws DatasetRejectedException naming the known formats, for a missing or unknown one
   */
  public static DatasetFormat of(String id) throws DatasetRejectedException {
    for (DatasetFormat f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    throw DatasetRejectedException.unreadable((id == null || id.isBlank()
        ? "no format given" : "unsupported format '" + id + "'") + "; supported: "
        + String.join(", ", ids()));
  }
}
