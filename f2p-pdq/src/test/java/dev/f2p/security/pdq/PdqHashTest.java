package dev.f2p.security.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PdqHashTest {
  @Test
  void hexRoundTripsInPdqsBitOrder() {
    // PDQ's hex is most significant first: bit 0 is the last digit's low bit, bit 255 the first's high.
    PdqHash bit0 = PdqHash.fromHex("0".repeat(63) + "1");
    PdqHash bit255 = PdqHash.fromHex("8" + "0".repeat(63));

    assertThat(bit0.bit(0)).isTrue();
    assertThat(bit0.bitCount()).isEqualTo(1);
    assertThat(bit255.bit(255)).isTrue();
    assertThat(bit255.bitCount()).isEqualTo(1);
    String hex = "e64cc9d91e623842f8d1f1d9a398e78c9f199a3bd87924f2b7e11e0bf061b064";
    assertThat(PdqHash.fromHex(hex).toHex()).isEqualTo(hex);
    assertThat(PdqHash.fromHex(hex.toUpperCase()).toHex()).isEqualTo(hex);
  }

  @Test
  void distanceCountsDifferingBits() {
    PdqHash zero = PdqHash.fromHex("0".repeat(64));
    PdqHash ones = PdqHash.fromHex("f".repeat(64));

    assertThat(zero.distance(ones)).isEqualTo(256);
    assertThat(zero.distance(PdqHash.fromHex("0".repeat(60) + "000f"))).isEqualTo(4);
    assertThat(ones.distance(ones)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "g000000000000000000000000000000000000000000000000000000000000000",
      "+000000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000000a"})
  void malformedHexIsRefused(String hex) {
    assertThatThrownBy(() -> PdqHash.fromHex(hex)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalHashesAreEqual() {
    String hex = "54a977c221d14c1c43ba5e6e21d4a13989a3553f1462611cbb85fda7be83b677";

    assertThat(PdqHash.fromHex(hex)).isEqualTo(PdqHash.fromHex(hex)).hasSameHashCodeAs(PdqHash.fromHex(hex));
  }
}
