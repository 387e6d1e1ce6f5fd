package dev.aigw.core.guardrail;

/**
 * What the gateway does with answers to requests that ask for JSON matching a schema ({@link
 * dev.aigw.api.ResponseFormat#jsonSchema}): validate them with a JSON-Schema validator (drafts 4
 * to 2020-12, by the schema's {@code $schema}, 2020-12 when it names none; remote {@code $ref}s are
 * never fetched) and re-ask an invalid blocking answer with the validation errors, {@value
 * #DEFAULT_MAX_REASKS} times by default, before failing with a {@link
 * dev.aigw.api.GuardrailViolationException} from guardrail {@value #NAME}. A streamed answer is
 * validated when it ends and, since it was already delivered, fails instead of being re-asked.
 * An answer that calls tools is not validated.
 *
 * <p>Re-asks go through the budgets and the router like the first call; the answer returned
 * carries the usage, cost and attempts of all of them.
 */
public final class StructuredOutput {
  /** The guardrail name in findings and exceptions. */
  public static final String NAME = "json_schema";

  /** Re-asks by default. */
  public static final int DEFAULT_MAX_REASKS = 2;

  private static final StructuredOutput OFF = new StructuredOutput(false, 0);
  private static final StructuredOutput DEFAULT = new StructuredOutput(true, DEFAULT_MAX_REASKS);

  private final boolean enabled;
  private final int maxReasks;

  private StructuredOutput(boolean enabled, int maxReasks) {
    this.enabled = enabled;
    this.maxReasks = maxReasks;
  }

  /**
   * Validate, re-asking {@value #DEFAULT_MAX_REASKS} times: the gateway's default.
   *
   * @return the gateway's default: validate and re-ask
   */
  public static StructuredOutput validate() {
    return DEFAULT;
  }

  /**
   * Validate, re-asking an invalid answer up to {@code maxReasks} times (0: fail at once).
   *
   * @param maxReasks how many times to re-ask, from 0 to 10
   * @return validation with up to {@code maxReasks} re-asks
   * @throws IllegalArgumentException when {@code maxReasks} is negative or above 10
   */
  public static StructuredOutput validate(int maxReasks) {
    if (maxReasks < 0 || maxReasks > 10) {
      throw new IllegalArgumentException("maxReasks must be 0 to 10, was " + maxReasks);
    }
    return new StructuredOutput(true, maxReasks);
  }

  /**
   * Do not validate answers (the provider's own enforcement, if any, is all there is).
   *
   * @return no validation
   */
  public static StructuredOutput off() {
    return OFF;
  }

  /** {@return whether answers are validated} */
  public boolean enabled() {
    return enabled;
  }

  /** {@return how many times an invalid blocking answer is re-asked} */
  public int maxReasks() {
    return maxReasks;
  }

  @Override
  public String toString() {
    return enabled ? "StructuredOutput[validate, maxReasks=" + maxReasks + "]" : "StructuredOutput[off]";
  }
}
