package dev.f2p.provenance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The 64 bits the invisible watermark carries: a 16-bit tag of the producer's name and a 48-bit digest of
 * the output's {@code ProduceID}, so a found mark names who made the picture and which output it was
 * (matched against the producer's records), without carrying the id itself. Immutable and thread-safe.
 *
 * @param bits the payload
 */
public record WatermarkPayload(long bits) {

  /**
   * The payload for one output of one producer. Deterministic: the same two strings give the same bits
   * on every run and machine.
   *
   * @param producer the {@code ContentProducer} of the output's label
   * @param produceId the output's {@code ProduceID}
   * @return the payload the watermark of that output carries
   */
  public static WatermarkPayload of(String producer, String produceId) {
    long tag = toLong(sha256("producer:" + producer)) >>> 48;
    long digest = toLong(sha256("produce-id:" + produceId)) >>> 16;
    return new WatermarkPayload(tag << 48 | digest);
  }

  /**
   * The 16-bit producer tag: which producer made the mark, up to the 1 in 65,536 chance that two
   * producers' names share a tag.
   *
   * @return the top 16 bits, 0 to 65,535
   */
  public int producerTag() {
    return (int) (bits >>> 48);
  }

  /**
   * Whether this payload is the one {@link #of} gives for this producer and id: how a found mark is
   * matched against the producer's records of its outputs.
   *
   * @param producer the {@code ContentProducer} to test
   * @param produceId the {@code ProduceID} to test
   * @return true when all 64 bits agree
   */
  public boolean matches(String producer, String produceId) {
    return of(producer, produceId).bits == bits;
  }

  /**
   * The payload as text, in the form the {@code watermark.payload} event attribute and the labels'
   * {@code ReservedCode1} carry.
   *
   * @return sixteen lower-case hex digits
   */
  public String hex() {
    return HexFormat.of().toHexDigits(bits);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  private static long toLong(byte[] bytes) {
    return Watermark.toLong(bytes, 0);
  }
}
