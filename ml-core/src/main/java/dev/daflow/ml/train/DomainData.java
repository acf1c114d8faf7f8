package dev.daflow.ml.train;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;

/**
 * What a trainer sees: labelled source pictures, unlabelled target pictures (both already in the
 * network's input shape) and the preprocessing that turns their bytes into network inputs.
 */
public record DomainData(ImageDataset source, TargetPictures target, Preprocessing preprocessing) {

  /**
   * Shapes both domains to the preprocessing's input shape and strips the target labels.
   *
   * @param target may be null for source-only training
   */
  public static DomainData of(ImageDataset source, ImageDataset target, Preprocessing pre) {
    return ofShapedSource(pre.shape(source), target, pre);
  }

  /** As {@link #of}, with the source already shaped by {@code pre}. */
  public static DomainData ofShapedSource(ImageDataset shapedSource, ImageDataset target,
      Preprocessing pre) {
    TargetPictures t = target == null ? null : TargetPictures.of(pre.shape(target));
    return new DomainData(shapedSource, t, pre);
  }
}
