package dev.aigw.providers.pool.internal.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How tensors and parameters hold their values. */
class KServeTensorTest {

  @Test
  void elementsAreConvertedToTheDatatypesJavaType() {
    InferTensor ints = InferTensor.of("i", Datatype.INT32, List.of(3L), List.of(1, 2L, (short) 3));
    InferTensor floats = InferTensor.of("f", Datatype.FP32, List.of(2L), List.of(1, 2.5f));
    InferTensor big = InferTensor.of("u", Datatype.UINT64, List.of(1L), List.of(new BigInteger("18446744073709551615")));

    assertThat(ints.longs()).containsExactly(1L, 2L, 3L);
    assertThat(floats.doubles()).containsExactly(1.0, 2.5);
    assertThat(big.longs()).containsExactly(-1L);
  }

  @Test
  void nestedArraysAreFlattenedRowMajor() {
    InferTensor t = InferTensor.of("m", Datatype.INT64, List.of(2L, 2L), List.of(List.of(1, 2), List.of(3, 4)));

    assertThat(t.longs()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void theElementCountMustMatchAFixedShape() {
    assertThatThrownBy(() -> InferTensor.of("t", Datatype.INT32, List.of(1L, 16L), List.of(1, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 elements");
    assertThat(InferTensor.of("t", Datatype.INT32, List.of(-1L), List.of(1, 2)).data()).hasSize(2);
  }

  @Test
  void elementsOfTheWrongTypeAreRefused() {
    assertThatThrownBy(() -> InferTensor.of("t", Datatype.BYTES, List.of(1L), List.of(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BYTES");
    assertThatThrownBy(() -> InferTensor.of("t", Datatype.INT32, List.of(1L), List.of(1.5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InferTensor.text("t", "x").longs()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void parametersHoldBooleansLongsDoublesAndStrings() {
    InferRequest request = InferRequest.of(InferTensor.text("t", "x")).withParameters(Map.of("a", 1, "b", 2.5f, "c", true, "d", "s"));

    assertThat(request.parameters()).containsEntry("a", 1L).containsEntry("b", 2.5).containsEntry("c", true).containsEntry("d", "s");
    assertThatThrownBy(() -> request.withParameters(Map.of("x", List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
  }

  @Test
  void toStringNeverShowsElements() {
    assertThat(InferTensor.text("text_input", "secret prompt").toString()).doesNotContain("secret").contains("text_input");
  }

  @Test
  void datatypesAreReadCaseInsensitively() {
    assertThat(Datatype.of("fp16")).isEqualTo(Datatype.FP16);
    assertThatThrownBy(() -> Datatype.of("FP8")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FP8");
  }
}
