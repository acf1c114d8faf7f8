package dev.daflow.data.service;

/**
 * A dataset that cannot be ingested because of what was offered: an unreadable, corrupt or
 * inconsistent file, an unknown format, an archive too large, a download that failed or that the
 * download policy refuses. The message
 * names the file and the problem, for people; the service answers with {@code dataset.rejected}.
 */
public class DatasetRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of problem, for the HTTP status. */
  public enum Kind {
    /** The content does not decode or is not a dataset of the format (422). */
    UNREADABLE,
    /** The archive or its content is over a configured limit (413). */
    TOO_LARGE,
    /** The file could not be fetched from its URL or publisher (502). */
    DOWNLOAD_FAILED,
    /**
     * The download policy refuses a URL, an address of its host or a redirect: a host not in
     * the allow-list, a non-public address (400).
     */
    REFUSED
  }

  private final Kind kind;

  public DatasetRejectedException(Kind kind, String reason) {
    super(reason);
    this.kind = kind;
  }

  public DatasetRejectedException(Kind kind, String reason, Throwable cause) {
    super(reason, cause);
    this.kind = kind;
  }

  /** Shorthand for {@link Kind#UNREADABLE}. */
  public static DatasetRejectedException unreadable(String reason) {
    return new DatasetRejectedException(Kind.UNREADABLE, reason);
  }

  public Kind kind() {
    return kind;
  }
}
