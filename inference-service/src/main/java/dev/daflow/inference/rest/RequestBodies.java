package dev.daflow.inference.rest;

import dev.daflow.inference.service.InferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads request bodies up to a limit: a declared {@code Content-Length} over it is refused before
 * reading, a body without one is read until it passes the limit. Both are 413.
 */
final class RequestBodies {
  private RequestBodies() {}

  static byte[] read(InputStream in, String contentLength, long max) {
    if (contentLength != null && !contentLength.isBlank()) {
      try {
        long declared = Long.parseLong(contentLength.trim());
        if (declared > max) {
          throw tooLarge(declared + " bytes", max);
        }
      } catch (NumberFormatException ignored) {
        // the HTTP layer checks the header; read and count instead
      }
    }
    if (in == null) {
      return new byte[0];
    }
    try {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (body.length > max) {
        throw tooLarge("more than " + max + " bytes", max);
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  private static InferenceException.TooLarge tooLarge(String size, long max) {
    return new InferenceException.TooLarge("the request body has " + size + ", more than the "
        + max + " allowed (daflow.inference.max-body-bytes)");
  }
}
