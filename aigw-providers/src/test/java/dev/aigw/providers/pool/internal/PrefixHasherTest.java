package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefixHasherTest {
  static final String PROMPT = "system: You are a helpful assistant that answers questions about the weather.\n"
      + "user: What's the weather like in Paris today? Please be brief.";

  final PrefixHasher hasher = new PrefixHasher();

  // The expected values below were computed with the reference xxHash library (libxxhash 0.8.1,
  // XXH64 over the UTF-16LE bytes), not with this class: they pin the algorithm and check it.

  @Test
  void xxh64MatchesTheReferenceOnKnownInputs() {
    assertThat(PrefixHasher.xxh64("", 0, 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(PrefixHasher.seedHash("llama-3-8b", "")).isEqualTo(0xF082CAE1A28514C1L);
  }

  @Test
  void blockHashesAreFixed() {
    assertThat(PROMPT).hasSize(140); // two full blocks of 64 and a partial one
    assertThat(hasher.hash("llama-3-8b", "", PROMPT)).containsExactly(0xC05002C683470D2AL, 0x727F179A8A6324FEL);
    assertThat(hasher.hash("llama-3-8b", "tenant-a", PROMPT)).containsExactly(0xB6E85D4501577B5EL, 0x263057FBA282741EL);
  }

  @Test
  void nonAsciiTextHashesItsUtf16Units() {
    String text = "héllo wörld – ✓ 日本語 \uD83D\uDE00 ".repeat(4); // 92 chars; a block may split the surrogate pair
    assertThat(text).hasSize(92);
    assertThat(new PrefixHasher(16, 512).hash("m", "", text))
        .containsExactly(0xD9359EB54E558A0CL, 0xD84F94B15B43BBD1L, 0x007CD2622E0DE582L, 0x216EBEB769A5D3A9L, 0x02DB83E05207AADEL);
  }

  @Test
  void charSequenceKindDoesNotMatter() {
    assertThat(hasher.hash("m", "s", new StringBuilder(PROMPT))).containsExactly(hasher.hash("m", "s", PROMPT));
  }

  @Test
  void samePrefixSharesLeadingHashes() {
    String shared = "x".repeat(64 * 3);
    long[] a = hasher.hash("m", "", shared + "a".repeat(64 * 2));
    long[] b = hasher.hash("m", "", shared + "b".repeat(64 * 2));
    assertThat(a).hasSize(5);
    assertThat(b).hasSize(5);
    assertThat(Arrays.copyOf(a, 3)).containsExactly(Arrays.copyOf(b, 3));
    assertThat(a[3]).isNotEqualTo(b[3]);
    assertThat(a[4]).isNotEqualTo(b[4]);
  }

  @Test
  void hashesAreChainedSoAnEqualBlockAfterADifferentPrefixDiffers() {
    String block = "q".repeat(64);
    long[] a = hasher.hash("m", "", "a".repeat(64) + block);
    long[] b = hasher.hash("m", "", "b".repeat(64) + block);
    assertThat(a[1]).isNotEqualTo(b[1]);
    // and a repeated block does not repeat its hash
    long[] same = hasher.hash("m", "", block + block);
    assertThat(same[0]).isNotEqualTo(same[1]);
  }

  @Test
  void differentModelOrSaltGivesDisjointHashes() {
    String prompt = "p".repeat(64 * 8);
    Set<Long> seen = new HashSet<>();
    for (long h : hasher.hash("model-a", "", prompt)) {
      seen.add(h);
    }
    for (long[] other : new long[][] {
        hasher.hash("model-b", "", prompt), hasher.hash("model-a", "salt", prompt), hasher.hash("model-a\0", "", prompt)}) {
      for (long h : other) {
        assertThat(seen.add(h)).as("hash %x repeats across seeds", h).isTrue();
      }
    }
  }

  @Test
  void partialTrailingBlockIsIgnored() {
    assertThat(hasher.hash("m", "", "z".repeat(63))).isEmpty();
    assertThat(hasher.hash("m", "", "")).isEmpty();
    long[] one = hasher.hash("m", "", "z".repeat(64));
    assertThat(one).hasSize(1);
    assertThat(hasher.hash("m", "", "z".repeat(127))).containsExactly(one);
    assertThat(hasher.hash("m", "", "z".repeat(64) + "different tail")).containsExactly(one);
  }

  @Test
  void blockCountIsCapped() {
    PrefixHasher capped = new PrefixHasher(64, 4);
    long[] full = new PrefixHasher(64, 100).hash("m", "", "r".repeat(64 * 10));
    assertThat(capped.hash("m", "", "r".repeat(64 * 10))).containsExactly(Arrays.copyOf(full, 4));
    // the default cap: a megabyte prompt hashes 512 blocks
    assertThat(hasher.hash("m", "", "r".repeat(1 << 20))).hasSize(PrefixHasher.DEFAULT_MAX_BLOCKS);
  }

  @Test
  void cappedHasherDoesNotReadPastTheCap() {
    CharSequence guarded = new CharSequence() {
      @Override
      public int length() {
        return 1 << 20;
      }

      @Override
      public char charAt(int index) {
        if (index >= 64 * 2) {
          throw new AssertionError("read char " + index);
        }
        return 'k';
      }

      @Override
      public CharSequence subSequence(int start, int end) {
        throw new UnsupportedOperationException();
      }
    };
    assertThat(new PrefixHasher(64, 2).hash("m", "", guarded)).hasSize(2);
  }

  @Test
  void rejectsNonPositiveSizes() {
    assertThatThrownBy(() -> new PrefixHasher(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrefixHasher(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
