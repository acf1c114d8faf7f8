package dev.daflow.platform.datasets;

import dev.daflow.ml.data.ImageDataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/**
 * The canonical form of a slice of a dataset, one object per shard: a fixed header (magic {@code
 * DFDS}, format version, count, height, width, channels), then {@code count} big-endian int32
 * labels, then the {@code count*height*width*channels} uint8 pixels in {@link ImageDataset}'s
 * order. Decoding checks every length, so a truncated or foreign object is an error naming it.
 */
public final class DatasetShards {
  /** The shard format this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** Pictures per shard at most: 16,384 RGB 32x32 pictures are 50 MB. */
  public static final int PICTURES_PER_SHARD = 16_384;

  private static final int MAGIC = 0x44464453; // "DFDS"

  private DatasetShards() {}

  /** Encodes a whole (small enough) dataset as one shard. */
  public static byte[] encode(ImageDataset d) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + 4 * d.count() + d.pixels().length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(d.count());
      out.writeInt(d.height());
      out.writeInt(d.width());
      out.writeInt(d.channels());
      for (int label : d.labels()) {
        out.writeInt(label);
      }
      out.write(d.pixels());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a shard.
   *
   * @param origin the object key, for error messages
   * @param name the dataset name to give the result, e.g. {@code mnist/train}
   * @throws IOException naming {@code origin} and the problem when the bytes are not a valid shard
   */
  public static ImageDataset decode(byte[] shard, String origin, String name,
      List<String> classNames) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(shard))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(origin + ": not a DAFlow dataset shard (wrong magic)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(origin + ": shard format " + version + ", this build reads "
            + FORMAT_VERSION);
      }
      int count = in.readInt();
      int height = in.readInt();
      int width = in.readInt();
      int channels = in.readInt();
      long expected = 24L + 4L * count + (long) count * height * width * channels;
      if (count < 0 || height < 1 || width < 1 || expected != shard.length) {
        throw new IOException(origin + ": " + shard.length + " bytes, but its header ("
            + count + "x" + height + "x" + width + "x" + channels + ") asks for " + expected);
      }
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = in.readInt();
      }
      byte[] pixels = new byte[count * height * width * channels];
      in.readFully(pixels);
      return new ImageDataset(name, pixels, labels, count, height, width, channels, classNames);
    } catch (EOFException e) {
      throw new IOException(origin + ": truncated shard", e);
    } catch (IllegalArgumentException e) {
      throw new IOException(origin + ": " + e.getMessage(), e);
    }
  }
}
