package dev.daflow.ml.train;

import dev.daflow.ml.data.ImageDataset;

/**
 * Target-domain training pictures without their labels. Trainers receive the target domain only in
 * this form, so no training or model-selection code can read a target label.
 *
 * @param name dataset name
 * @param pictures the pictures; labels replaced by zeros and never read
 */
public record TargetPictures(String name, ImageDataset pictures) {

  /** Drops the labels of {@code ds}. */
  public static TargetPictures of(ImageDataset ds) {
    ImageDataset unlabelled = new ImageDataset(ds.name(), ds.pixels(), new int[ds.count()],
        ds.count(), ds.height(), ds.width(), ds.channels(), java.util.List.of("?"));
    return new TargetPictures(ds.name(), unlabelled);
  }

  public int count() {
    return pictures.count();
  }
}
