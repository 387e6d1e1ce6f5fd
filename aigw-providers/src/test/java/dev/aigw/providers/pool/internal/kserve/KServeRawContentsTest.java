package dev.aigw.providers.pool.internal.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The raw tensor form: byte layouts checked by hand, round trips, half-precision rounding. */
class KServeRawContentsTest {

  @Test
  void bytesElementsAreLittleEndianLengthPrefixed() {
    byte[] raw = RawContents.encode(InferTensor.of("t", Datatype.BYTES, List.of(2L), List.of("hi", "é")));

    assertThat(raw).containsExactly(2, 0, 0, 0, 'h', 'i', 2, 0, 0, 0, (byte) 0xc3, (byte) 0xa9);
    assertThat(RawContents.decode(Datatype.BYTES, raw)).containsExactly("hi", "é");
  }

  @Test
  void integersAreLittleEndianAndUnsignedTypesReadBackUnsigned() {
    assertThat(RawContents.encode(InferTensor.of("t", Datatype.INT32, List.of(2L), List.of(1, -2))))
        .containsExactly(1, 0, 0, 0, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff);
    assertThat(RawContents.decode(Datatype.UINT8, new byte[] {(byte) 0xff})).containsExactly(255L);
    assertThat(RawContents.decode(Datatype.UINT16, new byte[] {(byte) 0xff, (byte) 0xff})).containsExactly(65_535L);
    assertThat(RawContents.decode(Datatype.UINT32, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
        .containsExactly(4_294_967_295L);
    assertThat(RawContents.decode(Datatype.INT8, new byte[] {(byte) 0xff})).containsExactly(-1L);
  }

  @Test
  void everyDatatypeRoundTrips() {
    roundTrip(Datatype.BOOL, List.of(true, false, true));
    roundTrip(Datatype.INT8, List.of(-128L, 127L));
    roundTrip(Datatype.UINT8, List.of(0L, 255L));
    roundTrip(Datatype.INT16, List.of(-32_768L, 32_767L));
    roundTrip(Datatype.UINT16, List.of(65_535L));
    roundTrip(Datatype.INT32, List.of((long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE));
    roundTrip(Datatype.UINT32, List.of(4_294_967_295L));
    roundTrip(Datatype.INT64, List.of(Long.MIN_VALUE, Long.MAX_VALUE));
    roundTrip(Datatype.UINT64, List.of(-1L));
    roundTrip(Datatype.FP16, List.of(1.0, -2.5, 65_504.0, 0.0));
    roundTrip(Datatype.BF16, List.of(1.0, -2.5, 65_536.0));
    roundTrip(Datatype.FP32, List.of(0.5, -1.25));
    roundTrip(Datatype.FP64, List.of(Math.PI, -0.1));
    roundTrip(Datatype.BYTES, List.of("", "text_output", "ünïcode"));
  }

  @Test
  void halfPrecisionRoundsToNearestEven() {
    assertThat(RawContents.floatToHalf(1.0f)).isEqualTo((short) 0x3c00);
    assertThat(RawContents.floatToHalf(0.1f)).isEqualTo((short) 0x2e66);
    assertThat(RawContents.floatToHalf(-2.0f)).isEqualTo((short) 0xc000);
    assertThat(RawContents.floatToHalf(65_504f)).isEqualTo((short) 0x7bff);
    assertThat(RawContents.floatToHalf(65_520f)).as("halfway to the next power rounds to infinity").isEqualTo((short) 0x7c00);
    assertThat(RawContents.floatToHalf(0x1p-24f)).as("smallest subnormal").isEqualTo((short) 0x0001);
    assertThat(RawContents.floatToHalf(0x1p-25f)).as("half of it ties to even: zero").isEqualTo((short) 0x0000);
    assertThat(RawContents.floatToHalf(0x1.8p-24f)).as("1.5 subnormal steps ties to 2").isEqualTo((short) 0x0002);
    assertThat(RawContents.floatToHalf(Float.NaN) & 0x7c00).isEqualTo(0x7c00);
    assertThat(RawContents.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(RawContents.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(RawContents.floatToBfloat16(1.0f)).isEqualTo((short) 0x3f80);
    assertThat(RawContents.floatToBfloat16(Float.intBitsToFloat(0x3f808000))).as("tie to even").isEqualTo((short) 0x3f80);
    assertThat(RawContents.floatToBfloat16(Float.intBitsToFloat(0x3f818000))).as("tie to even, up").isEqualTo((short) 0x3f82);
  }

  @Test
  void truncatedContentsAreRefused() {
    assertThatThrownBy(() -> RawContents.decode(Datatype.BYTES, new byte[] {5, 0, 0, 0, 'a'}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 bytes");
    assertThatThrownBy(() -> RawContents.decode(Datatype.BYTES, new byte[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RawContents.decode(Datatype.FP32, new byte[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole elements");
  }

  private static void roundTrip(Datatype type, List<?> values) {
    InferTensor tensor = InferTensor.of("t", type, List.of((long) values.size()), values);
    assertThat(RawContents.decode(type, RawContents.encode(tensor))).as(type.name()).isEqualTo(tensor.data());
  }
}
