package dev.daflow.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.ImageDataset;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reading OIP requests and turning their tensor into pictures, and every way to get it wrong. */
class TensorDecodingTest {
  private final TensorDecoder decoder = new TensorDecoder(4, 64 * 64);

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String request(String datatype, String shape, String data) {
    return "{\"id\":\"r1\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"" + datatype
        + "\",\"shape\":" + shape + ",\"data\":" + data + "}]}";
  }

  private ImageDataset decode(String body) {
    return decoder.decode(InferRequestReader.read(json(body)));
  }

  private static String values(int n, IntFunction<String> value) {
    return IntStream.range(0, n).mapToObj(value).collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void uint8BatchBecomesNhwcPictures() {
    // 2 pictures of 2x3 RGB: value = index.
    ImageDataset d = decode(request("UINT8", "[2,2,3,3]", values(36, Integer::toString)));
    assertThat(d.count()).isEqualTo(2);
    assertThat(d.height()).isEqualTo(2);
    assertThat(d.width()).isEqualTo(3);
    assertThat(d.channels()).isEqualTo(3);
    assertThat(d.pixel(1, 1, 2, 1)).isEqualTo(18 + (1 * 3 + 2) * 3 + 1);
  }

  @Test
  void fp32IsScaledToBytes() {
    ImageDataset d = decode(request("FP32", "[1,1,3,1]", "[0, 0.5, 1.0]"));
    assertThat(d.pixels()).containsExactly((byte) 0, (byte) 128, (byte) 255);
  }

  @Test
  void uint8AndFp32OfTheSamePicturesAgree() {
    ImageDataset u = decode(request("UINT8", "[1,2,2,1]", "[0, 17, 200, 255]"));
    ImageDataset f = decode(request("FP32", "[1,2,2,1]",
        "[0, " + 17 / 255f + ", " + 200 / 255f + ", 1]"));
    assertThat(f.pixels()).containsExactly(u.pixels());
  }

  @Test
  void nestedDataIsFlattenedRowMajor() {
    ImageDataset d = decode(request("UINT8", "[1,2,2,1]", "[[[[1],[2]],[[3],[4]]]]"));
    assertThat(d.pixels()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void idOutputsAndParametersAreRead() {
    InferRequest r = InferRequestReader.read(json("{\"id\":\"abc\",\"parameters\":{\"x\":[1,{}]},"
        + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,1,1,1],"
        + "\"parameters\":{\"binary_data\":false},\"data\":[3]}],"
        + "\"outputs\":[{\"name\":\"label\",\"parameters\":{}}]}"));
    assertThat(r.id()).isEqualTo("abc");
    assertThat(r.outputs()).containsExactly("label");
    assertThat(r.inputs().get(0).data()).containsExactly(3f);
  }

  @Test
  void wrongShapes() {
    assertThatThrownBy(() -> decode(request("UINT8", "[1,2,2]", "[1,2,3,4]")))
        .isInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("3 dimensions; expected [N, H, W, C]");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,2,1,2]", "[1,2,3,4]")))
        .hasMessageContaining("2 channels");
    assertThatThrownBy(() -> decode(request("UINT8", "[0,2,2,1]", "[]")))
        .hasMessageContaining("dimension < 1");
    assertThatThrownBy(() -> decode(request("UINT8", "[5,1,1,1]", "[1,2,3,4,5]")))
        .hasMessageContaining("a batch of 5 pictures is more than the 4 allowed");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,65,64,1]", "[1]")))
        .hasMessageContaining("larger than 4096 pixels");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,2,2,1]", "[1,2,3]")))
        .hasMessageContaining("holds 4 values, 'data' has 3");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,\"2\",2,1]", "[1,2,3,4]")))
        .hasMessageContaining("must be a list of integers");
  }

  @Test
  void wrongDatatypesAndValues() {
    assertThatThrownBy(() -> decode(request("INT32", "[1,1,1,1]", "[1]")))
        .isInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("datatype 'INT32' is not supported");
    assertThatThrownBy(() -> decode(request("uint8", "[1,1,1,1]", "[1]")))
        .hasMessageContaining("upper case");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,1,2,1]", "[1, 256]")))
        .hasMessageContaining("data[1] = 256 is not a UINT8");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,1,2,1]", "[-1, 2]")))
        .hasMessageContaining("data[0] = -1 is not a UINT8");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,1,1,1]", "[1.5]")))
        .hasMessageContaining("1.5 is not a UINT8");
    assertThatThrownBy(() -> decode(request("UINT8", "[1,1,1,1]", "[12.0]")))
        .hasMessageContaining("written as integers");
    assertThatThrownBy(() -> decode(request("FP32", "[1,1,2,1]", "[0.5, 1.5]")))
        .hasMessageContaining("data[1] = 1.5 is outside 0..1");
    assertThatThrownBy(() -> decode(request("FP32", "[1,1,1,1]", "[\"0.5\"]")))
        .hasMessageContaining("must hold numbers only, found the string \"0.5\"");
    assertThatThrownBy(() -> decode(request("FP32", "[1,1,1,1]", "[null]")))
        .hasMessageContaining("found null");
  }

  @Test
  void wrongRequests() {
    assertThatThrownBy(() -> InferRequestReader.read(json("{\"inputs\": [")))
        .isInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageStartingWith("malformed JSON");
    assertThatThrownBy(() -> InferRequestReader.read(json("[1,2]")))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> InferRequestReader.read(json("")))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> InferRequestReader.read(json("{\"id\":\"x\"}")))
        .hasMessageContaining("no 'inputs'");
    assertThatThrownBy(() -> InferRequestReader.read(json("{\"inputs\":[]} {}")))
        .hasMessageContaining("after the request object");
    assertThatThrownBy(() -> InferRequestReader.read(json(
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,1,1,1]}]}")))
        .hasMessageContaining("input 'input' has no 'data'");
    assertThatThrownBy(() -> decode("{\"inputs\":[]}"))
        .hasMessageContaining("no input tensor");
    assertThatThrownBy(() -> decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"UINT8\","
        + "\"shape\":[1,1,1,1],\"data\":[1]}]}"))
        .hasMessageContaining("unknown input 'x'");
    String one = "{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,1,1,1],\"data\":[1]}";
    assertThatThrownBy(() -> decode("{\"inputs\":[" + one + "," + one + "]}"))
        .hasMessageContaining("takes one input tensor");
    assertThatThrownBy(() -> InferRequestReader.read(json(
        "{\"inputs\":[],\"inputs\":[]}")))
        .hasMessageContaining("Duplicate field 'inputs'");
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "[".repeat(10) + "1" + "]".repeat(10);
    assertThatThrownBy(() -> decode(request("UINT8", "[1,1,1,1]", deep)))
        .hasMessageContaining("nested deeper than");
  }

  /** A body of the binary data extension: the JSON, then {@code data}; the header's value. */
  private static byte[] binaryBody(String json, byte[] data) {
    byte[] head = json(json);
    byte[] body = java.util.Arrays.copyOf(head, head.length + data.length);
    System.arraycopy(data, 0, body, head.length, data.length);
    return body;
  }

  private static String binaryRequest(String datatype, String shape, int size) {
    return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"" + datatype + "\",\"shape\":"
        + shape + ",\"parameters\":{\"binary_data_size\":" + size + "}}]}";
  }

  private ImageDataset decodeBinary(String json, byte[] data) {
    return decoder.decode(InferRequestReader.read(binaryBody(json, data),
        Integer.toString(json(json).length)));
  }

  @Test
  void binaryDataGivesTheSamePicturesAsJson() {
    byte[] raw = new byte[36];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 7); // wraps past 127: unsigned bytes
    }
    ImageDataset fromJson = decode(request("UINT8", "[2,2,3,3]",
        values(36, i -> Integer.toString((i * 7) & 0xff))));
    ImageDataset fromBinary = decodeBinary(binaryRequest("UINT8", "[2,2,3,3]", 36), raw);
    assertThat(fromBinary.pixels()).containsExactly(fromJson.pixels());
    assertThat(fromBinary.count()).isEqualTo(2);

    // FP32, little-endian: 0, 0.5, 1.0.
    java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(12)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0f).putFloat(0.5f).putFloat(1f);
    assertThat(decodeBinary(binaryRequest("FP32", "[1,1,3,1]", 12), le.array()).pixels())
        .containsExactly((byte) 0, (byte) 128, (byte) 255);
  }

  @Test
  void binaryDataOfTheWrongSizeOrWithoutTheHeaderIsRefusedByName() {
    String json = binaryRequest("UINT8", "[1,2,2,1]", 4);
    assertThatThrownBy(() -> decodeBinary(binaryRequest("UINT8", "[1,2,2,1]", 5), new byte[5]))
        .isInstanceOf(InferenceException.InvalidInput.class)
        .hasMessageContaining("binary_data_size 5 does not match shape [1, 2, 2, 1] of UINT8"
            + " (4 values of 1 byte = 4 bytes)");
    assertThatThrownBy(() -> decodeBinary(json, new byte[3]))
        .hasMessageContaining("binary_data_size 4, but only 3 bytes of binary data are left");
    assertThatThrownBy(() -> decodeBinary(json, new byte[6]))
        .hasMessageContaining("the body has 6 bytes after its " + json.length()
            + " bytes of JSON; the inputs' binary_data_size add up to 4");
    assertThatThrownBy(() -> InferRequestReader.read(json(json)))
        .hasMessageContaining("has 'binary_data_size' but the request has no"
            + " Inference-Header-Content-Length header");
    assertThatThrownBy(() -> InferRequestReader.read(binaryBody(json, new byte[4]), "x12"))
        .hasMessageContaining("Inference-Header-Content-Length header must be the JSON part's"
            + " length in bytes, found \"x12\"");
    assertThatThrownBy(() -> InferRequestReader.read(binaryBody(json, new byte[4]), "99999"))
        .hasMessageContaining("says 99999 bytes of JSON, the body has " + (json.length() + 4));
    assertThatThrownBy(() -> decodeBinary(binaryRequest("INT32", "[1,2,2,1]", 16),
        new byte[16])).hasMessageContaining("binary data of datatype 'INT32' is not supported");
    assertThatThrownBy(() -> decodeBinary("{\"inputs\":[{\"name\":\"input\",\"datatype\":"
        + "\"UINT8\",\"shape\":[1,1,1,1],\"data\":[1],\"parameters\":{\"binary_data_size\":1}}]}",
        new byte[1])).hasMessageContaining("has both 'data' and 'binary_data_size'");
    assertThatThrownBy(() -> decodeBinary(binaryRequest("UINT8", "[1,2,2,1]", -1), new byte[0]))
        .hasMessageContaining("binary_data_size' must be a byte count");
  }
}
