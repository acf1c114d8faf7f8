package dev.daflow.events;

/**
 * A stored dataset was deleted ({@code DELETE /datasets/{name}}, role {@code admin}): its
 * manifest and pictures are gone from the object store, and jobs naming it are rejected from now
 * on. Produced by data-service on {@link Topics#DATASETS} after the deletion, with the {@code
 * principal} attribute naming who deleted it ({@link Principals}).
 *
 * @param dataset the dataset name (the key)
 * @param origin where the deleted dataset had come from: {@code catalog}, {@code url} or {@code
 *     upload}
 * @param sha256 hex SHA-256 of the deleted manifest (as its {@code dataset.ingested} named it)
 */
public record DatasetDeleted(String dataset, String origin, String sha256)
    implements DaflowEvent {

  @Override
  public String key() {
    return dataset;
  }
}
