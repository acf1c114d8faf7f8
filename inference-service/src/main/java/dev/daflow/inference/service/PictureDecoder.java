package dev.daflow.inference.service;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFormatException;
import dev.daflow.ml.data.Pictures;
import java.util.List;
import java.util.Locale;

/**
 * The picture endpoint's admission of an upload, around ml-core's one decoder ({@link
 * Pictures#decode(byte[], java.util.function.Consumer)}): the declared content type is {@code
 * image/png} or {@code image/jpeg}, the body is a PNG or JPEG, and the picture's size (read from
 * its header, before decoding) is within {@code max-picture-pixels}, so a small file cannot decode
 * into a picture that fills the heap. Every refusal is an {@link InferenceException.InvalidInput}
 * naming the problem.
 */
public final class PictureDecoder {
  /** The content types accepted. */
  public static final List<String> CONTENT_TYPES = List.of("image/png", "image/jpeg");
  /** The formats accepted, as the decoder names them. */
  private static final List<String> FORMATS = List.of("png", "jpeg");

  private final int maxPicturePixels;

  public PictureDecoder(int maxPicturePixels) {
    this.maxPicturePixels = maxPicturePixels;
  }

  /**
   * @param contentType the request's media type without parameters (e.g. {@code image/png}), or
   *     null
   */
  public ImageDataset decode(String contentType, byte[] body) {
    // The declared type, then the bytes: what the header says is checked before decoding.
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
    try {
      return Pictures.decode(body, this::admit).asDataset("picture");
    } catch (PictureFormatException e) {
      throw invalid("the body (" + body.length + " bytes) is not a PNG or JPEG picture: "
          + e.problem());
    }
  }

  /** Refuses a format other than PNG and JPEG, and a picture over the size limit. */
  private void admit(Pictures.Header header) {
    if (!FORMATS.contains(header.format())) {
      throw invalid("the body is a " + header.format() + " picture; send PNG or JPEG");
    }
    if (header.pixels() > maxPicturePixels) {
      throw invalid("the picture is " + header.width() + "x" + header.height() + ", larger than "
          + maxPicturePixels + " pixels (daflow.inference.max-picture-pixels)");
    }
  }

  private static InferenceException.InvalidInput invalid(String message) {
    return new InferenceException.InvalidInput(message);
  }
}
