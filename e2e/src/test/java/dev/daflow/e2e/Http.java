package dev.daflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.daflow.ml.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;

/** A small HTTP client for the services' JSON APIs. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status and body (JSON when it parses, else null). */
  record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Http() {}

  static Reply get(URI uri) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  static Reply post(URI uri, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static Reply postJson(URI uri, Object body) throws IOException, InterruptedException {
    return post(uri, "application/json", JSON.writeValueAsBytes(body));
  }

  private static Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  /** Picture {@code i} of a grey or RGB dataset as PNG bytes. */
  static byte[] png(ImageDataset d, int i) throws IOException {
    BufferedImage img = new BufferedImage(d.width(), d.height(),
        d.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        if (d.channels() == 1) {
          img.getRaster().setSample(x, y, 0, d.pixel(i, y, x, 0));
        } else {
          img.setRGB(x, y, d.pixel(i, y, x, 0) << 16 | d.pixel(i, y, x, 1) << 8
              | d.pixel(i, y, x, 2));
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
