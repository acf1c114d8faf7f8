/**
 * Datasets in the object store: canonical uint8 shards and a manifest written last, read back as
 * a {@link dev.daflow.ml.data.DatasetSource} for training and evaluation.
 */
package dev.daflow.platform.datasets;
