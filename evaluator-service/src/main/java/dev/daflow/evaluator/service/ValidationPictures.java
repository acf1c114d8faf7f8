package dev.daflow.evaluator.service;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.SourceHoldout;
import dev.daflow.ml.model.Checksums;
import dev.daflow.ml.model.ModelCard;
import dev.daflow.ml.train.TargetPictures;
import dev.daflow.platform.datasets.DatasetManifest;
import dev.daflow.platform.datasets.DatasetStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pictures the label-free validators run on, read from the object store through {@link
 * DatasetStore} and kept in memory (the most recently used few, while their dataset's manifest is
 * the one they were read under):
 *
 * <ul>
 *   <li>the first {@code targetLimit} pictures of the target's TRAINING split, without their
 *       labels ({@link TargetPictures}): validators never read a target label;
 *   <li>the source pictures a job held out of training, recomputed from its model card: the
 *       first {@code source.count} pictures of the source's training split (checked against the
 *       card's SHA-256), split by {@link SourceHoldout} with the card's fraction and seed (the
 *       held-out part checked against its SHA-256 too).
 * </ul>
 *
 * Thread-safe.
 */
public final class ValidationPictures {
  private final DatasetStore datasets;
  private final int targetLimit;
  private final Map<String, Entry> cache;

  private record Entry(String createdAt, ImageDataset pictures) {}

  /**
   * @param targetLimit target pictures validators run on (the first ones of the training split);
   *     0: validators are not computed
   * @param capacity splits kept in memory
   */
  public ValidationPictures(DatasetStore datasets, int targetLimit, int capacity) {
    if (targetLimit < 0) {
      throw new IllegalArgumentException("daflow.evaluator.validator-pictures must be >= 0, got "
          + targetLimit);
    }
    this.datasets = datasets;
    this.targetLimit = targetLimit;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Whether validators are computed at all ({@code validator-pictures} above 0). */
  public boolean enabled() {
    return targetLimit > 0;
  }

  /**
   * The unlabelled target pictures of a dataset.
   *
   * @throws IllegalArgumentException if the dataset is not in the store
   */
  public TargetPictures target(String dataset) throws IOException {
    return TargetPictures.of(train(dataset, targetLimit));
  }

  /**
   * The source pictures a model's job held out of training, if its card names some and the
   * dataset in the store is still the one it was trained on.
   *
   * @throws IllegalStateException if the stored split is not the one the card names (a dataset
   *     ingested again with other pictures): the held-out pictures cannot be recomputed
   */
  public Optional<ImageDataset> sourceHeldOut(String dataset, ModelCard card) throws IOException {
    if (card == null || card.sourceValidation() == null || card.source() == null) {
      return Optional.empty();
    }
    ModelCard.SourceValidation held = card.sourceValidation();
    ImageDataset all = train(dataset, card.source().count());
    if (all.count() != card.source().count()
        || !Checksums.of(all).equals(card.source().sha256())) {
      throw new IllegalStateException("the training split of '" + dataset + "' in the store is "
          + "not the one the model was trained on (its SHA-256 differs from the model card's): "
          + "its held-out source pictures cannot be recomputed");
    }
    ImageDataset heldOut = SourceHoldout.split(all, held.fraction(), held.seed()).heldOut();
    if (heldOut.count() != held.count() || !Checksums.of(heldOut).equals(held.sha256())) {
      throw new IllegalStateException("the held-out source pictures recomputed for '" + dataset
          + "' are not those the model card names (" + held.count() + " pictures, SHA-256 "
          + held.sha256() + ")");
    }
    return Optional.of(heldOut);
  }

  private synchronized ImageDataset train(String dataset, int limit) throws IOException {
    DatasetManifest manifest = datasets.manifest(dataset).orElseThrow(() ->
        new IllegalArgumentException("dataset '" + dataset + "' is not ingested: validators "
            + "cannot read its training pictures"));
    String key = dataset + "#" + limit;
    Entry e = cache.get(key);
    if (e != null && e.createdAt().equals(manifest.createdAt())) {
      return e.pictures();
    }
    ImageDataset split = datasets.load(dataset, Split.TRAIN, limit);
    cache.put(key, new Entry(manifest.createdAt(), split));
    return split;
  }
}
