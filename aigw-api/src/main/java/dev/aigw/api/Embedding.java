package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.Arrays;

/** One embedding vector, for the input at {@link #index()}. Immutable: the vector is copied in and out. */
public final class Embedding {
  private final int index;
  private final float[] vector;

  /**
   * @param index the position of the input this embeds
   * @param vector the vector; copied
   */
  public Embedding(int index, float[] vector) {
    this.index = (int) Require.nonNegative(index, "embedding.index");
    this.vector = Require.nonNull(vector, "embedding.vector").clone();
  }

  /** {@return the position of the input this embeds} */
  public int index() {
    return index;
  }

  /** {@return a copy of the vector} */
  public float[] vector() {
    return vector.clone();
  }

  /** {@return the number of dimensions} */
  public int dimensions() {
    return vector.length;
  }

  /**
   * One component of the vector.
   *
   * @param i the component's index, from 0
   * @return one component of the vector
   */
  public float get(int i) {
    return vector[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e && index == e.index && Arrays.equals(vector, e.vector);
  }

  @Override
  public int hashCode() {
    return index * 31 + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "Embedding[" + index + ", " + vector.length + " dimensions]";
  }
}
