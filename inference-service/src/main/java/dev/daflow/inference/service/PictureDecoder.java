package dev.daflow.inference.service;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.model.Model;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an uploaded PNG or JPEG into a one-picture dataset, as {@link Model#decode} does for the
 * CLI, after two checks: the declared content type is {@code image/png} or {@code image/jpeg}, and
 * the picture's size (read from its header, before decoding) is within {@code
 * max-picture-pixels}, so a small file cannot decode into a picture that fills the heap.
 */
public final class PictureDecoder {
  /** The content types accepted. */
  public static final List<String> CONTENT_TYPES = List.of("image/png", "image/jpeg");

  private final int maxPicturePixels;

  public PictureDecoder(int maxPicturePixels) {
    this.maxPicturePixels = maxPicturePixels;
  }

  /**
   * @param contentType the request's media type without parameters (e.g. {@code image/png}), or
   *     null
   */
  public ImageDataset decode(String contentType, byte[] body) {
    String type = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
    if (type.equals("image/jpg")) {
      type = "image/jpeg";
    }
    if (!CONTENT_TYPES.contains(type)) {
      throw invalid("Content-Type '" + (contentType == null ? "" : contentType)
          + "' is not supported: send a picture as image/png or image/jpeg");
    }
    if (body.length == 0) {
      throw invalid("the body is empty: send a PNG or JPEG picture");
    }
    String format;
    int width;
    int height;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw invalid("the body (" + body.length + " bytes) is not a PNG or JPEG picture");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        format = reader.getFormatName().toLowerCase(Locale.ROOT);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InferenceException ie) {
        throw ie;
      }
      throw invalid("the body (" + body.length + " bytes) is not a readable PNG or JPEG picture: "
          + e.getMessage());
    }
    if (!format.equals("png") && !format.equals("jpeg") && !format.equals("jpg")) {
      throw invalid("the body is a " + format + " picture; send PNG or JPEG");
    }
    if ((long) width * height > maxPicturePixels) {
      throw invalid("the picture is " + width + "x" + height + ", larger than "
          + maxPicturePixels + " pixels (daflow.inference.max-picture-pixels)");
    }
    try {
      return Model.decode(body);
    } catch (IOException | RuntimeException e) {
      throw invalid("the body is not a readable PNG or JPEG picture: " + e.getMessage());
    }
  }

  private static InferenceException.InvalidInput invalid(String message) {
    return new InferenceException.InvalidInput(message);
  }
}
