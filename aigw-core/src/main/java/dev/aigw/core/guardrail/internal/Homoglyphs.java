package dev.aigw.core.guardrail.internal;

/**
 * Letters from other scripts that look like Latin letters, folded to the lower-case Latin letter
 * they imitate: Cyrillic {@code а е о р с у х і ј ѕ} and their capitals, Greek {@code Α Β Ε Ζ Η Ι
 * Κ Μ Ν Ο Ρ Τ Υ Χ α ι κ ν ο ρ υ χ γ ω ϲ ϳ}, a few Armenian letters ({@code օ ս հ ո}), IPA and small
 * capitals ({@code ɑ ɡ ɪ ʏ ᴀ ᴄ ᴅ ᴇ …}) and the dotless {@code ı} and {@code ȷ}.
 *
 * <p>The table follows the idea of Unicode's confusables data (UTS #39) but is written by hand and
 * kept to look-alikes of the 26 Latin letters that a reader would take for them in ordinary
 * fonts; letters that merely resemble a Latin letter in some fonts (Cyrillic {@code к н т}, Greek
 * {@code ε η τ}) are left alone. Letters with a compatibility decomposition (fullwidth,
 * mathematical, circled) are not here: NFKC already folds them.
 */
public final class Homoglyphs {
  /** Pairs of (look-alike, Latin letter). */
  private static final String PAIRS =
      // Latin extensions and IPA
      "ıiȷjɑaɡgɢgɩiɪiɴnʀrʏyʙbʜhʟlǀl"
      // small capitals
      + "ᴀaᴄcᴅdᴇeᴊjᴋkᴍmᴏoᴘpᴛtᴜuᴠvᴡwᴢzꜱs"
      // Greek capitals
      + "ΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧxϹcͿj"
      // Greek small letters
      + "αaιiκkνvοoρpυuχxγyωwϲcϳj"
      // Cyrillic capitals
      + "ЅsІiЈjАaВbЕeКkМmНhОoРpСcТtУyХxҮyҺhӀlԚqԜw"
      // Cyrillic small letters
      + "аaеeоoрpсcуyхxѕsіiјjһhԁdԛqԝwӏl"
      // Armenian
      + "օoսuհhոnՕoՍuՏs";

  private static final int FIRST = 0x0100;
  private static final int LAST = 0xA7FF;
  private static final char[] TABLE = new char[LAST - FIRST + 1];

  static {
    for (int i = 0; i < PAIRS.length(); i += 2) {
      char from = PAIRS.charAt(i);
      char to = PAIRS.charAt(i + 1);
      if (from < FIRST || from > LAST || to < 'a' || to > 'z') {
        throw new AssertionError("bad homoglyph pair at " + i);
      }
      TABLE[from - FIRST] = to;
    }
  }

  private Homoglyphs() {}

  /** The Latin letter (lower-case) that {@code codePoint} imitates, or -1 when it is none. */
  public static int toLatin(int codePoint) {
    if (codePoint < FIRST || codePoint > LAST) {
      return -1;
    }
    char c = TABLE[codePoint - FIRST];
    return c == 0 ? -1 : c;
  }
}
