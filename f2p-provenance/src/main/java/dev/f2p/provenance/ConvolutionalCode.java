package dev.f2p.provenance;

/**
 * The rate-1/2, constraint-length-7 convolutional code (generators 171 and 133 octal, the one used by
 * 802.11 and Voyager) with a soft-decision Viterbi decoder. Chosen over a block code because the
 * watermark hands the decoder soft values (how sure each bit is), which Viterbi uses directly.
 */
final class ConvolutionalCode {
  static final int TAIL = 6;
  private static final int STATES = 64;
  private static final int G0 = 0b1111001;
  private static final int G1 = 0b1011011;

  private ConvolutionalCode() {}

  /** Encodes {@code bits} followed by {@link #TAIL} zero bits: {@code 2 * (bits.length + TAIL)} outputs. */
  static boolean[] encode(boolean[] bits) {
    boolean[] out = new boolean[2 * (bits.length + TAIL)];
    int reg = 0;
    for (int i = 0; i < bits.length + TAIL; i++) {
      int in = i < bits.length && bits[i] ? 1 : 0;
      reg = ((reg << 1) | in) & 0x7f;
      out[2 * i] = (Integer.bitCount(reg & G0) & 1) == 1;
      out[2 * i + 1] = (Integer.bitCount(reg & G1) & 1) == 1;
    }
    return out;
  }

  /**
   * Decodes soft values (positive means 1, magnitude is confidence) of a tail-terminated codeword back to
   * {@code soft.length / 2 - TAIL} bits.
   */
  static boolean[] decode(float[] soft) {
    int steps = soft.length / 2;
    float[] metric = new float[STATES];
    float[] next = new float[STATES];
    byte[][] from = new byte[steps][STATES];
    java.util.Arrays.fill(metric, Float.NEGATIVE_INFINITY);
    metric[0] = 0;
    for (int t = 0; t < steps; t++) {
      java.util.Arrays.fill(next, Float.NEGATIVE_INFINITY);
      float s0 = soft[2 * t];
      float s1 = soft[2 * t + 1];
      for (int state = 0; state < STATES; state++) {
        float m = metric[state];
        if (m == Float.NEGATIVE_INFINITY) {
          continue;
        }
        for (int in = 0; in < 2; in++) {
          int reg = ((state << 1) | in) & 0x7f;
          float branch = ((Integer.bitCount(reg & G0) & 1) == 1 ? s0 : -s0)
              + ((Integer.bitCount(reg & G1) & 1) == 1 ? s1 : -s1);
          int ns = reg & 0x3f;
          if (m + branch > next[ns]) {
            next[ns] = m + branch;
            from[t][ns] = (byte) state;
          }
        }
      }
      float[] swap = metric;
      metric = next;
      next = swap;
    }
    boolean[] bits = new boolean[steps - TAIL];
    int state = 0;
    for (int t = steps - 1; t >= 0; t--) {
      if (t < bits.length) {
        bits[t] = (state & 1) == 1;
      }
      state = from[t][state] & 0xff;
    }
    return bits;
  }
}
