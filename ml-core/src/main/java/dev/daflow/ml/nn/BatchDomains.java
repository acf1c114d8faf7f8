package dev.daflow.ml.nn;

import java.util.List;

/**
 * Which rows of a graph's batch come from which domain, for {@link Layers#batchNorm}: each
 * domain's rows are normalised by their own statistics (Chang et al. 2019, DSBN).
 */
public enum BatchDomains {
  /** Not stated: a batch-normalised network refuses to build. */
  UNSTATED(List.of()),
  /** Training: every row is a source picture. */
  SOURCE(List.of(BatchNorm.SOURCE)),
  /** Training: every row is a target picture (source-free adaptation, AdaBN's pass). */
  TARGET(List.of(BatchNorm.TARGET)),
  /** Training: the first half of the rows are source pictures, the second half target ones. */
  JOINT(List.of(BatchNorm.SOURCE, BatchNorm.TARGET)),
  /** Inference: every row normalised by the target domain's running statistics (AdaBN). */
  TARGET_RUNNING(List.of()),
  /** Every row normalised by the source domain's running statistics (ADDA's frozen source net). */
  SOURCE_RUNNING(List.of());

  private final List<String> names;

  BatchDomains(List<String> names) {
    this.names = names;
  }

  /** The domains of the batch's blocks of rows, in order. */
  public List<String> names() {
    return names;
  }
}
