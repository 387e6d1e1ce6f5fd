package dev.aigw.core.pricing;

import dev.aigw.api.Cost;
import dev.aigw.api.Usage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Prices per token of one model; exact {@link BigDecimal} money in one currency.
 *
 * <p>Every price is an exact decimal amount per single token, never a {@code double}: a price of
 * {@code 0.0000025} per token times one token costs exactly {@code 0.0000025}. Prices are never
 * negative; zero is allowed (free or experimental models).
 *
 * <p>Besides the required {@linkplain #input() input} and {@linkplain #output() output} prices a
 * model may price three kinds of token differently:
 *
 * <ul>
 *   <li>{@linkplain #cacheRead() cache read}: prompt tokens served from the provider's prompt
 *       cache; defaults to the input price;
 *   <li>{@linkplain #cacheWrite() cache write}: prompt tokens written to the provider's prompt
 *       cache; defaults to the input price;
 *   <li>{@linkplain #reasoning() reasoning}: hidden reasoning tokens; defaults to the output
 *       price.
 * </ul>
 *
 * <p>A model may also have a long-context {@linkplain #tier() tier}: a second set of prices that
 * applies to the <em>whole</em> call when its input tokens exceed {@linkplain #tierThreshold()
 * a threshold}. That is how Gemini 2.5 Pro and Claude's 1M-token context price long prompts.
 *
 * <p>Instances are immutable and thread-safe. Two instances are equal when they charge the same
 * for every call: the same currency, the same effective prices (a defaulted cache-read price
 * equals an explicitly set one of the same amount) and the same tier.
 *
 * <pre>{@code
 * Prices gpt4o = Prices.perMillionTokens("2.50", "10.00");          // USD
 * Prices cached = Prices.builder().input("0.0000025").output("0.00001")
 *     .cacheRead("0.00000125").build();
 * Cost cost = cached.cost(new Usage(1_000, 200, 800, 0, 0));
 * }</pre>
 */
public final class Prices {
  private static final Currency USD = Currency.getInstance("USD");
  /** 12 significant digits, half up: how {@link #fromGpuHour} rounds a derived per-token price. */
  private static final MathContext GPU_HOUR_PRECISION = new MathContext(12, RoundingMode.HALF_UP);
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

  private final Currency currency;
  private final BigDecimal input;
  private final BigDecimal output;
  private final BigDecimal cacheRead;
  private final BigDecimal cacheWrite;
  private final BigDecimal reasoning;
  private final long tierThreshold;
  private final @Nullable Prices tier;

  private Prices(Builder b, BigDecimal input, BigDecimal output) {
    this.currency = b.currency;
    this.input = input;
    this.output = output;
    this.cacheRead = b.cacheRead != null ? b.cacheRead : input;
    this.cacheWrite = b.cacheWrite != null ? b.cacheWrite : input;
    this.reasoning = b.reasoning != null ? b.reasoning : output;
    this.tierThreshold = b.tierThreshold;
    this.tier = b.tier;
  }

  /**
   * A builder for prices in US dollars (change with {@link Builder#currency(Currency)}). Input
   * and output prices are required; everything else is optional.
   *
   * @return a new, empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * US-dollar prices per single token, from decimal strings such as {@code "0.0000025"}.
   *
   * @param input the price of one input (prompt) token
   * @param output the price of one output (generated) token
   * @return prices with cache and reasoning prices at their defaults
   * @throws NullPointerException when an argument is null (the message names it)
   * @throws IllegalArgumentException when an argument is not a decimal number or is negative
   *     (the message names it)
   */
  public static Prices perToken(String input, String output) {
    return builder().input(input).output(output).build();
  }

  /**
   * US-dollar prices per one million tokens, from decimal strings such as {@code "2.50"}, as
   * providers publish them. The conversion is exact: the decimal point moves six places left
   * ({@code "2.50"} per million is {@code 0.0000025} per token).
   *
   * @param input the price of one million input (prompt) tokens
   * @param output the price of one million output (generated) tokens
   * @return prices with cache and reasoning prices at their defaults
   * @throws NullPointerException when an argument is null (the message names it)
   * @throws IllegalArgumentException when an argument is not a decimal number or is negative
   *     (the message names it)
   */
  public static Prices perMillionTokens(String input, String output) {
    return builder()
        .input(parse(input, "input").movePointLeft(6))
        .output(parse(output, "output").movePointLeft(6))
        .build();
  }

  /**
   * Prices of a self-hosted model from what its hardware costs per hour and how fast it runs.
   *
   * <p>The per-token price of each kind is {@code perHour / (tokensPerSecond × 3600)}, rounded to
   * 12 significant digits ({@link MathContext} with precision 12, {@link RoundingMode#HALF_UP}).
   * Each throughput is taken as its shortest decimal form ({@link BigDecimal#valueOf(double)}),
   * so {@code 2000.0} is exactly {@code 2000}. For example $2.00 per hour at 2,000 output tokens
   * per second is {@code 2 / 7,200,000 = 0.000000277777777778} per output token. Cache and
   * reasoning prices stay at their defaults (input and output).
   *
   * @param perHour what one hour of the hardware costs; its currency becomes the prices' currency
   * @param inputTokensPerSecond measured prefill throughput, prompt tokens per second
   * @param outputTokensPerSecond measured decode throughput, generated tokens per second
   * @return the derived prices
   * @throws NullPointerException when {@code perHour} is null
   * @throws IllegalArgumentException when a throughput is not a positive finite number (the
   *     message names it)
   */
  public static Prices fromGpuHour(Cost perHour, double inputTokensPerSecond, double outputTokensPerSecond) {
    Objects.requireNonNull(perHour, "perHour must not be null");
    BigDecimal in = perTokenFromHourly(perHour.amount(), inputTokensPerSecond, "inputTokensPerSecond");
    BigDecimal out = perTokenFromHourly(perHour.amount(), outputTokensPerSecond, "outputTokensPerSecond");
    return builder().currency(perHour.currency()).input(in).output(out).build();
  }

  private static BigDecimal perTokenFromHourly(BigDecimal perHour, double tokensPerSecond, String name) {
    if (!Double.isFinite(tokensPerSecond) || tokensPerSecond <= 0) {
      throw new IllegalArgumentException(name + " must be a positive finite number, was " + tokensPerSecond);
    }
    BigDecimal tokensPerHour = BigDecimal.valueOf(tokensPerSecond).multiply(SECONDS_PER_HOUR);
    return perHour.divide(tokensPerHour, GPU_HOUR_PRECISION);
  }

  /** {@return the currency of every price here (and of every {@link Cost} computed from them)} */
  public Currency currency() {
    return currency;
  }

  /**
   * {@return the price of one input (prompt) token that is neither read from nor written to a
   * cache}
   */
  public BigDecimal input() {
    return input;
  }

  /** {@return the price of one output (generated) token that is not a reasoning token} */
  public BigDecimal output() {
    return output;
  }

  /**
   * {@return the price of one prompt token read from the provider's prompt cache; {@link #input()}
   * when not set}
   */
  public BigDecimal cacheRead() {
    return cacheRead;
  }

  /**
   * {@return the price of one prompt token written to the provider's prompt cache; {@link #input()}
   * when not set}
   */
  public BigDecimal cacheWrite() {
    return cacheWrite;
  }

  /** {@return the price of one hidden reasoning token; {@link #output()} when not set} */
  public BigDecimal reasoning() {
    return reasoning;
  }

  /**
   * {@return the input-token count above which {@link #tier()} prices the whole call; empty when
   * there is no tier} A call with exactly this many input tokens is still priced here.
   */
  public OptionalLong tierThreshold() {
    return tier == null ? OptionalLong.empty() : OptionalLong.of(tierThreshold);
  }

  /**
   * {@return the prices applied to the <em>whole</em> call (every input, output, cache and
   * reasoning token) when its input tokens exceed {@link #tierThreshold()}; empty when there is no
   * tier}
   */
  public Optional<Prices> tier() {
    return Optional.ofNullable(tier);
  }

  /**
   * The exact cost of a call.
   *
   * <p>{@link Usage#inputTokens()} includes the cached and cache-write tokens and {@link
   * Usage#outputTokens()} includes the reasoning tokens, so the cost is
   *
   * <pre>
   *   (input − cached − cacheWrite) × input() + cached × cacheRead() + cacheWrite × cacheWrite()
   * + (output − reasoning) × output() + reasoning × reasoning()
   * </pre>
   *
   * <p>computed with the {@linkplain #tier() tier}'s prices instead when {@code inputTokens}
   * exceeds the {@linkplain #tierThreshold() threshold}. No rounding happens.
   *
   * @param usage the tokens the call used
   * @return the cost, in {@link #currency()}
   * @throws NullPointerException when {@code usage} is null
   */
  public Cost cost(Usage usage) {
    Objects.requireNonNull(usage, "usage must not be null");
    Prices p = tier != null && usage.inputTokens() > tierThreshold ? tier : this;
    long plainInput = usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens();
    long plainOutput = usage.outputTokens() - usage.reasoningTokens();
    BigDecimal amount = times(plainInput, p.input)
        .add(times(usage.cachedInputTokens(), p.cacheRead))
        .add(times(usage.cacheWriteTokens(), p.cacheWrite))
        .add(times(plainOutput, p.output))
        .add(times(usage.reasoningTokens(), p.reasoning));
    return new Cost(amount, currency);
  }

  /**
   * The cost of a call with this many input and output tokens and no cache or reasoning
   * tokens, {@code cost(Usage.of(inputTokens, outputTokens))}: what routing and budgets use
   * before a call.
   *
   * @param inputTokens prompt tokens, at least zero
   * @param outputTokens generated tokens, at least zero
   * @return the cost, in {@link #currency()}
   * @throws IllegalArgumentException when a count is negative (the message names it)
   */
  public Cost estimate(long inputTokens, long outputTokens) {
    if (inputTokens < 0) {
      throw new IllegalArgumentException("inputTokens must not be negative, was " + inputTokens);
    }
    if (outputTokens < 0) {
      throw new IllegalArgumentException("outputTokens must not be negative, was " + outputTokens);
    }
    return cost(Usage.of(inputTokens, outputTokens));
  }

  private static BigDecimal times(long tokens, BigDecimal price) {
    return tokens == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(tokens));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Prices)) {
      return false;
    }
    Prices p = (Prices) o;
    return currency.equals(p.currency)
        && input.equals(p.input)
        && output.equals(p.output)
        && cacheRead.equals(p.cacheRead)
        && cacheWrite.equals(p.cacheWrite)
        && reasoning.equals(p.reasoning)
        && tierThreshold == p.tierThreshold
        && Objects.equals(tier, p.tier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(currency, input, output, cacheRead, cacheWrite, reasoning, tierThreshold, tier);
  }

  /**
   * Prices per one million tokens, for example {@code "Prices[USD in=2.5/M out=10/M
   * cacheRead=1.25/M]"}; cache and reasoning prices appear only where they differ from their
   * defaults, a tier as {@code "above 200000: [in=… out=…]"}.
   */
  @Override
  public String toString() {
    return "Prices[" + currency.getCurrencyCode() + " " + figures() + "]";
  }

  private String figures() {
    StringBuilder s = new StringBuilder();
    s.append("in=").append(perMillion(input)).append(" out=").append(perMillion(output));
    if (!cacheRead.equals(input)) {
      s.append(" cacheRead=").append(perMillion(cacheRead));
    }
    if (!cacheWrite.equals(input)) {
      s.append(" cacheWrite=").append(perMillion(cacheWrite));
    }
    if (!reasoning.equals(output)) {
      s.append(" reasoning=").append(perMillion(reasoning));
    }
    if (tier != null) {
      s.append(" above ").append(tierThreshold).append(": [").append(tier.figures()).append(']');
    }
    return s.toString();
  }

  private static String perMillion(BigDecimal perToken) {
    BigDecimal m = perToken.movePointRight(6);
    return (m.signum() == 0 ? BigDecimal.ZERO : m.stripTrailingZeros()).toPlainString() + "/M";
  }

  static BigDecimal parse(@Nullable String value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a decimal number, was '" + value + "'", e);
    }
  }

  static BigDecimal price(@Nullable BigDecimal value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.signum() < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value.toPlainString());
    }
    // Equal amounts get equal representations, so equals() and hashCode() agree with compareTo().
    return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }

  /**
   * Builds {@link Prices}. Defaults: currency USD; cache-read and cache-write prices equal the
   * input price, the reasoning price equals the output price; no tier. Input and output prices
   * are required. Each setter checks its argument at once and replaces any earlier value. A
   * builder is not thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private Currency currency = USD;
    private @Nullable BigDecimal input;
    private @Nullable BigDecimal output;
    private @Nullable BigDecimal cacheRead;
    private @Nullable BigDecimal cacheWrite;
    private @Nullable BigDecimal reasoning;
    private long tierThreshold;
    private @Nullable Prices tier;

    private Builder() {}

    /**
     * The currency of every price (default USD).
     *
     * @param currency the currency of every price (default USD)
     * @return this builder
     * @throws NullPointerException when {@code currency} is null
     */
    public Builder currency(Currency currency) {
      this.currency = Objects.requireNonNull(currency, "currency must not be null");
      return this;
    }

    /**
     * The price of one input token, as a decimal string such as {@code "0.0000025"} (required).
     *
     * @param input the price of one input token, as a decimal string such as {@code "0.0000025"}
     *     (required)
     * @return this builder
     * @throws NullPointerException when {@code input} is null
     * @throws IllegalArgumentException when it is not a decimal number or is negative
     */
    public Builder input(String input) {
      return input(parse(input, "input"));
    }

    /**
     * The price of one input token (required).
     *
     * @param input the price of one input token (required)
     * @return this builder
     * @throws NullPointerException when {@code input} is null
     * @throws IllegalArgumentException when it is negative
     */
    public Builder input(BigDecimal input) {
      this.input = price(input, "input");
      return this;
    }

    /**
     * The price of one output token, as a decimal string such as {@code "0.00001"} (required).
     *
     * @param output the price of one output token, as a decimal string such as {@code "0.00001"}
     *     (required)
     * @return this builder
     * @throws NullPointerException when {@code output} is null
     * @throws IllegalArgumentException when it is not a decimal number or is negative
     */
    public Builder output(String output) {
      return output(parse(output, "output"));
    }

    /**
     * The price of one output token (required).
     *
     * @param output the price of one output token (required)
     * @return this builder
     * @throws NullPointerException when {@code output} is null
     * @throws IllegalArgumentException when it is negative
     */
    public Builder output(BigDecimal output) {
      this.output = price(output, "output");
      return this;
    }

    /**
     * The price of one prompt token read from the prompt cache, as a decimal string (default:
     * the input price).
     *
     * @param cacheRead the price of one prompt token read from the prompt cache, as a decimal
     *     string (default: the input price)
     * @return this builder
     * @throws NullPointerException when {@code cacheRead} is null
     * @throws IllegalArgumentException when it is not a decimal number or is negative
     */
    public Builder cacheRead(String cacheRead) {
      return cacheRead(parse(cacheRead, "cacheRead"));
    }

    /**
     * The price of one prompt token read from the prompt cache (default: the input price).
     *
     * @param cacheRead the price of one prompt token read from the prompt cache (default: the input
     *     price)
     * @return this builder
     * @throws NullPointerException when {@code cacheRead} is null
     * @throws IllegalArgumentException when it is negative
     */
    public Builder cacheRead(BigDecimal cacheRead) {
      this.cacheRead = price(cacheRead, "cacheRead");
      return this;
    }

    /**
     * The price of one prompt token written to the prompt cache, as a decimal string (default:
     * the input price).
     *
     * @param cacheWrite the price of one prompt token written to the prompt cache, as a decimal
     *     string (default: the input price)
     * @return this builder
     * @throws NullPointerException when {@code cacheWrite} is null
     * @throws IllegalArgumentException when it is not a decimal number or is negative
     */
    public Builder cacheWrite(String cacheWrite) {
      return cacheWrite(parse(cacheWrite, "cacheWrite"));
    }

    /**
     * The price of one prompt token written to the prompt cache (default: the input price).
     *
     * @param cacheWrite the price of one prompt token written to the prompt cache (default: the
     *     input price)
     * @return this builder
     * @throws NullPointerException when {@code cacheWrite} is null
     * @throws IllegalArgumentException when it is negative
     */
    public Builder cacheWrite(BigDecimal cacheWrite) {
      this.cacheWrite = price(cacheWrite, "cacheWrite");
      return this;
    }

    /**
     * The price of one hidden reasoning token, as a decimal string (default: the output price).
     *
     * @param reasoning the price of one hidden reasoning token, as a decimal string (default: the
     *     output price)
     * @return this builder
     * @throws NullPointerException when {@code reasoning} is null
     * @throws IllegalArgumentException when it is not a decimal number or is negative
     */
    public Builder reasoning(String reasoning) {
      return reasoning(parse(reasoning, "reasoning"));
    }

    /**
     * The price of one hidden reasoning token (default: the output price).
     *
     * @param reasoning the price of one hidden reasoning token (default: the output price)
     * @return this builder
     * @throws NullPointerException when {@code reasoning} is null
     * @throws IllegalArgumentException when it is negative
     */
    public Builder reasoning(BigDecimal reasoning) {
      this.reasoning = price(reasoning, "reasoning");
      return this;
    }

    /**
     * Long-context prices: {@code tier} prices the whole call when its input tokens exceed
     * {@code aboveInputTokens} (default: no tier). The tier's own defaults apply to it (its
     * cache-read price defaults to <em>its</em> input price, and so on). It must be in the same
     * currency, checked by {@link #build()}.
     *
     * @param aboveInputTokens the threshold; a call with more input tokens than this uses the tier
     * @param tier the prices for such calls; it must not have a tier of its own
     * @return this builder
     * @throws IllegalArgumentException when {@code aboveInputTokens} is not positive, or {@code
     *     tier} has a tier of its own
     * @throws NullPointerException when {@code tier} is null
     */
    public Builder tier(long aboveInputTokens, Prices tier) {
      if (aboveInputTokens <= 0) {
        throw new IllegalArgumentException("aboveInputTokens must be positive, was " + aboveInputTokens);
      }
      Objects.requireNonNull(tier, "tier must not be null");
      if (tier.tier != null) {
        throw new IllegalArgumentException("tier must not have a tier of its own, was " + tier);
      }
      this.tierThreshold = aboveInputTokens;
      this.tier = tier;
      return this;
    }

    /**
     * The prices.
     *
     * @return the new {@code Prices}
     * @throws IllegalStateException when the input or output price was not set (the message
     *     names it), or the tier's currency differs from {@link #currency(Currency)}
     */
    public Prices build() {
      if (input == null) {
        throw new IllegalStateException("input price is required; call input(...)");
      }
      if (output == null) {
        throw new IllegalStateException("output price is required; call output(...)");
      }
      if (tier != null && !tier.currency.equals(currency)) {
        throw new IllegalStateException(
            "tier currency " + tier.currency + " differs from currency " + currency);
      }
      return new Prices(this, input, output);
    }
  }
}
