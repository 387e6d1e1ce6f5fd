package dev.aigw.core.guardrail;

import dev.aigw.api.GuardrailAction;
import dev.aigw.core.guardrail.internal.PiiScanner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds personal data and secrets ({@link PiiType}) in the texts of requests and, if asked, of
 * answers, so that the gateway masks, blocks or reports them. By default every type is
 * {@linkplain GuardrailAction#MASK masked} on input: the provider sees {@code <EMAIL_1>} and the
 * caller gets the original back in the answer.
 *
 * <pre>{@code
 * Guardrail pii = PiiGuardrail.builder()
 *     .action(PiiType.PRIVATE_KEY, GuardrailAction.BLOCK)
 *     .disable(PiiType.IP_ADDRESS)
 *     .scanOutput(true)
 *     .build();
 * }</pre>
 *
 * <p>The detectors are rules, each validated by its format's standard (Luhn and issuer ranges for
 * cards, the registry's lengths and mod-97 for IBANs, number ranges for SSNs, parsing for IP
 * addresses, a decodable header for JWTs, published prefixes for keys); see each {@link PiiType}
 * for what it takes and what it misses. They run in one pass over the text, which costs little
 * more than reading it (hundreds of MB/s on prose). Positions are {@code char} offsets; only ASCII
 * digits count as digits, so numbers written in other scripts or in full-width digits are not
 * found.
 *
 * <p>Immutable and thread-safe. Neither findings nor {@link #toString()} carry the text found.
 */
public final class PiiGuardrail implements Guardrail {
  private static final PiiGuardrail DEFAULTS = builder().build();

  private final String name;
  private final Map<PiiType, GuardrailAction> actions;
  private final boolean scanInput;
  private final boolean scanOutput;
  private final int maxMatchLength;
  private final PiiScanner scanner;
  /** The action per type ordinal, null for a type not detected. */
  private final GuardrailAction[] actionByType;

  private PiiGuardrail(Builder builder) {
    this.name = builder.name;
    EnumMap<PiiType, GuardrailAction> map = new EnumMap<>(PiiType.class);
    for (PiiType type : builder.enabled) {
      map.put(type, builder.actions.get(type));
    }
    this.actions = Collections.unmodifiableMap(map);
    this.scanInput = builder.scanInput;
    this.scanOutput = builder.scanOutput;
    this.maxMatchLength = builder.enabled.stream().mapToInt(PiiType::maxLength).max().orElseThrow();
    this.scanner = new PiiScanner(builder.enabled);
    this.actionByType = new GuardrailAction[PiiType.values().length];
    map.forEach((type, action) -> actionByType[type.ordinal()] = action);
  }

  /**
   * {@return a guardrail named "pii" that masks every {@link PiiType} on input and does not scan
   * output; the same as {@code builder().build()}}
   */
  public static PiiGuardrail defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the {@linkplain #defaults() defaults}} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean scansInput() {
    return scanInput;
  }

  @Override
  public boolean scansOutput() {
    return scanOutput;
  }

  /** {@return the types it detects, each with its action} */
  public Map<PiiType, GuardrailAction> actions() {
    return actions;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The matches are sorted by start and do not overlap. Input and output are scanned alike,
   * except that on output a private key block or JWT longer than its {@link PiiType#maxLength()}
   * is not found (on input, up to 65,536 chars).
   *
   * @throws NullPointerException when {@code text} or {@code site} is null
   */
  @Override
  public List<Match> scan(String text, Site site) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(site, "site");
    List<Match> matches = new ArrayList<>(0);
    scanner.scan(text, site.input(), (type, start, end) ->
        matches.add(Match.of(type.name(), start, end, actionByType[type.ordinal()])));
    return matches.isEmpty() ? List.of() : Collections.unmodifiableList(matches);
  }

  /**
   * The longest match it can report on output: the largest {@link PiiType#maxLength()} among the
   * types it detects. 4,096 when it detects private keys or JWTs (their longest block on output),
   * otherwise at most 256 (API keys, URL passwords), 254 for e-mail alone.
   */
  @Override
  public int maxMatchLength() {
    return maxMatchLength;
  }

  @Override
  public String toString() {
    return "PiiGuardrail[name=" + name + ", input=" + scanInput + ", output=" + scanOutput + ", actions=" + actions + "]";
  }

  /**
   * Configures a {@link PiiGuardrail}. Each setter checks its argument at once. Not thread-safe;
   * {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private String name = "pii";
    private final EnumMap<PiiType, GuardrailAction> actions = new EnumMap<>(PiiType.class);
    private final EnumSet<PiiType> enabled = EnumSet.allOf(PiiType.class);
    private boolean scanInput = true;
    private boolean scanOutput;

    private Builder() {
      for (PiiType type : PiiType.values()) {
        actions.put(type, GuardrailAction.MASK);
      }
    }

    /**
     * The name in findings, events and exceptions; {@code "pii"} by default.
     *
     * @param name the name
     * @return this builder
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when it is not lower-case letters, digits, '.', '_' and '-'
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * What to do with matches of {@code type}, and detect it (again, if {@linkplain #disable
     * disabled}). {@link GuardrailAction#MASK} for every type by default.
     *
     * @param type the kind of personal data or secret
     * @param action what to do with its matches
     * @return this builder
     * @throws NullPointerException when {@code type} or {@code action} is null
     */
    public Builder action(PiiType type, GuardrailAction action) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(action, "action");
      actions.put(type, action);
      enabled.add(type);
      return this;
    }

    /**
     * Detects {@code types} and no others, each with the action set for it so far ({@link
     * GuardrailAction#MASK} unless set). All types by default; a later {@link #action} or {@link
     * #disable} changes the set again.
     *
     * @param types the types to detect
     * @return this builder
     * @throws NullPointerException when {@code types} or one of them is null
     * @throws IllegalArgumentException when {@code types} is empty
     */
    public Builder only(PiiType... types) {
      EnumSet<PiiType> set = set("types", types);
      if (set.isEmpty()) {
        throw new IllegalArgumentException("types must not be empty: only(...) needs at least one type");
      }
      enabled.clear();
      enabled.addAll(set);
      return this;
    }

    /**
     * Does not detect {@code types}. A later {@link #action} or {@link #only} detects a type
     * again.
     *
     * @param types the types not to detect
     * @return this builder
     * @throws NullPointerException when {@code types} or one of them is null
     */
    public Builder disable(PiiType... types) {
      enabled.removeAll(set("types", types));
      return this;
    }

    /**
     * Whether to scan the texts of requests; true by default.
     *
     * @param scanInput whether to scan the texts of requests; true by default
     * @return this builder
     */
    public Builder scanInput(boolean scanInput) {
      this.scanInput = scanInput;
      return this;
    }

    /**
     * Whether to scan the text of answers; false by default. When true, the answer is scanned
     * with the same actions, and masking there is not reversible ({@code <EMAIL>}). Streams are
     * then held back by {@link PiiGuardrail#maxMatchLength()} chars: 4,096 while private keys or
     * JWTs are detected, 256 at most otherwise.
     *
     * @param scanOutput whether to scan the text of answers; false by default
     * @return this builder
     */
    public Builder scanOutput(boolean scanOutput) {
      this.scanOutput = scanOutput;
      return this;
    }

    /**
     * The guardrail.
     *
     * @return the new {@code PiiGuardrail}
     * @throws IllegalStateException when no type is detected, or neither input nor output is
     *     scanned
     */
    public PiiGuardrail build() {
      if (enabled.isEmpty()) {
        throw new IllegalStateException("no PII type is enabled: every type was disabled");
      }
      if (!scanInput && !scanOutput) {
        throw new IllegalStateException("neither input nor output is scanned: set scanInput or scanOutput to true");
      }
      return new PiiGuardrail(this);
    }

    private static EnumSet<PiiType> set(String argument, PiiType[] types) {
      Objects.requireNonNull(types, argument);
      EnumSet<PiiType> set = EnumSet.noneOf(PiiType.class);
      for (int i = 0; i < types.length; i++) {
        set.add(Objects.requireNonNull(types[i], argument + "[" + i + "]"));
      }
      return set;
    }
  }
}
