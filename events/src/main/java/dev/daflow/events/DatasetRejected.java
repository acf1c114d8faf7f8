package dev.daflow.events;

/**
 * A dataset could not be ingested (unreadable, inconsistent, too large, download failed...).
 * Produced by data-service on {@link Topics#DATASETS}.
 *
 * @param dataset the dataset name that was asked for (the key)
 * @param origin where it was to come from: {@code catalog}, {@code url} or {@code upload}
 * @param reason what is wrong, for people
 */
public record DatasetRejected(String dataset, String origin, String reason)
    implements DaflowEvent {

  @Override
  public String key() {
    return dataset;
  }
}
