package dev.daflow.s3proxy;

import com.google.common.util.concurrent.Striped;
import java.io.InputStream;
import java.util.concurrent.locks.Lock;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes S3Proxy's conditional PUT atomic within its process. S3Proxy 4.1.0 answers {@code
 * If-Match} on its filesystem store with a HEAD, a compare, then an unconditional write, so two
 * writers holding the same ETag may both succeed and one change is lost. This decorator takes a
 * lock per key around every write and delete, and inside it compares {@code If-Match} (and a named
 * {@code If-None-Match}) with the object as it is, then writes: the check and the write are one
 * step for every client of this server. ({@code If-None-Match: *} the store already resolves
 * atomically, by a hard link; under the lock it stays so.)
 *
 * <p>S3Proxy still sees the filesystem store behind it (it unwraps {@link ForwardingBlobStore}s
 * to decide its quirks), so nothing else changes. Only for one S3Proxy process over its folder:
 * two processes over one folder would not share the locks.
 */
public final class AtomicConditionalWrites extends ForwardingBlobStore {
  private final Striped<Lock> locks = Striped.lock(256);

  /** {@code delegate} with atomic conditional writes. */
  public AtomicConditionalWrites(BlobStore delegate) {
    super(delegate);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
    Lock lock = locks.get(request.bucket() + "/" + request.key());
    lock.lock();
    try {
      // The handler checked already, before this lock: check again against what is there now.
      String ifMatch = request.ifMatch();
      String ifNoneMatch = request.ifNoneMatch();
      if (ifMatch != null || ifNoneMatch != null && !"*".equals(ifNoneMatch)) {
        HeadObjectResponse current = delegate().blobMetadataIfPresent(request.bucket(),
            request.key());
        if (ifMatch != null) {
          if (current == null) {
            throw S3Exceptions.noSuchKey(request.bucket(), request.key(), null);
          }
          if (!"*".equals(ifMatch) && !sameETag(ifMatch, current.eTag())) {
            throw S3Exceptions.fromStatusCode(412);
          }
        }
        if (ifNoneMatch != null && current != null && sameETag(ifNoneMatch, current.eTag())) {
          throw S3Exceptions.fromStatusCode(412);
        }
      }
      return delegate().putBlob(request, payload);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    Lock lock = locks.get(request.bucket() + "/" + request.key());
    lock.lock();
    try {
      return delegate().removeBlob(request);
    } finally {
      lock.unlock();
    }
  }

  private static boolean sameETag(String condition, String eTag) {
    return eTag != null && unquote(condition).equals(unquote(eTag));
  }

  private static String unquote(String eTag) {
    return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
        ? eTag.substring(1, eTag.length() - 1) : eTag;
  }
}
