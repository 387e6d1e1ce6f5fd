package dev.aigw.core.guardrail;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Message;
import dev.aigw.core.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocks requests that are too large: more input tokens, characters, messages or images than
 * allowed. Each limit is off until set. Tokens are counted with {@link TokenCounter#forModel} for
 * the request's model (a route alias counts with the conservative estimate for unknown models),
 * after a cheap upper bound that settles most requests without tokenizing.
 *
 * <pre>{@code
 * builder.guardrail(LimitsGuardrail.builder().maxInputTokens(32_000).maxMessages(100).maxImages(4).build());
 * }</pre>
 *
 * <p>Findings: {@code TOO_MANY_TOKENS}, {@code TOO_MANY_CHARACTERS}, {@code TOO_MANY_MESSAGES},
 * {@code TOO_MANY_IMAGES}, without positions.
 */
public final class LimitsGuardrail implements Guardrail {
  private final String name;
  private final int maxInputTokens;
  private final long maxCharacters;
  private final int maxMessages;
  private final int maxImages;
  private final GuardrailAction action;

  private LimitsGuardrail(Builder b) {
    this.name = b.name;
    this.maxInputTokens = b.maxInputTokens;
    this.maxCharacters = b.maxCharacters;
    this.maxMessages = b.maxMessages;
    this.maxImages = b.maxImages;
    this.action = b.action;
  }

  /** {@return a builder with no limit set} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean scansInput() {
    return false;
  }

  @Override
  public boolean scansOutput() {
    return false;
  }

  @Override
  public List<Match> scan(String text, Site site) {
    return List.of();
  }

  @Override
  public List<Match> checkRequest(ChatRequest request, CallContext context) {
    List<Match> over = new ArrayList<>(1);
    List<Message> messages = request.messages();
    if (maxMessages > 0 && messages.size() > maxMessages) {
      over.add(Match.whole("TOO_MANY_MESSAGES", action, 1));
    }
    if (maxCharacters > 0 || maxImages > 0) {
      long chars = 0;
      int images = 0;
      for (Message m : messages) {
        for (ContentPart part : m.content()) {
          if (part instanceof ContentPart.Text t) {
            chars += t.text().length();
          } else {
            images++;
          }
        }
      }
      if (maxCharacters > 0 && chars > maxCharacters) {
        over.add(Match.whole("TOO_MANY_CHARACTERS", action, 1));
      }
      if (maxImages > 0 && images > maxImages) {
        over.add(Match.whole("TOO_MANY_IMAGES", action, 1));
      }
    }
    if (maxInputTokens > 0) {
      TokenCounter counter = TokenCounter.forModel(request.model());
      if (counter.upperBound(request) > maxInputTokens && counter.count(request) > maxInputTokens) {
        over.add(Match.whole("TOO_MANY_TOKENS", action, 1));
      }
    }
    return over;
  }

  @Override
  public String toString() {
    return "LimitsGuardrail[" + name + ", tokens=" + maxInputTokens + ", characters=" + maxCharacters
        + ", messages=" + maxMessages + ", images=" + maxImages + ", " + action + "]";
  }

  /** Builds a {@link LimitsGuardrail}; each setter checks its argument at once. */
  public static final class Builder {
    private String name = "limits";
    private int maxInputTokens;
    private long maxCharacters;
    private int maxMessages;
    private int maxImages;
    private GuardrailAction action = GuardrailAction.BLOCK;

    private Builder() {}

    /**
     * The most input tokens a request may have.
     *
     * @param tokens the most input tokens
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxInputTokens(int tokens) {
      this.maxInputTokens = positive(tokens, "maxInputTokens");
      return this;
    }

    /**
     * The most characters of text all messages together may have.
     *
     * @param characters the most characters
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxCharacters(long characters) {
      if (characters <= 0) {
        throw new IllegalArgumentException("maxCharacters must be positive, was " + characters);
      }
      this.maxCharacters = characters;
      return this;
    }

    /**
     * The most messages a request may have.
     *
     * @param messages the most messages
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxMessages(int messages) {
      this.maxMessages = positive(messages, "maxMessages");
      return this;
    }

    /**
     * The most images a request may have.
     *
     * @param images the most images
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxImages(int images) {
      this.maxImages = positive(images, "maxImages");
      return this;
    }

    /**
     * {@link GuardrailAction#BLOCK} (the default) or {@link GuardrailAction#FLAG} (report only).
     *
     * @param action {@link GuardrailAction#BLOCK} (the default) or {@link GuardrailAction#FLAG}
     *     (report only)
     * @return this builder
     * @throws IllegalArgumentException for {@link GuardrailAction#MASK}, which cannot apply to a size
     */
    public Builder action(GuardrailAction action) {
      if (java.util.Objects.requireNonNull(action, "action") == GuardrailAction.MASK) {
        throw new IllegalArgumentException("a limit can block or flag, not mask");
      }
      this.action = action;
      return this;
    }

    /**
     * The name in findings; {@code "limits"} by default.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * Builds the guardrail.
     *
     * @return the new {@code LimitsGuardrail}
     * @throws IllegalStateException when no limit is set
     */
    public LimitsGuardrail build() {
      if (maxInputTokens == 0 && maxCharacters == 0 && maxMessages == 0 && maxImages == 0) {
        throw new IllegalStateException("set at least one limit (maxInputTokens, maxCharacters, maxMessages or maxImages)");
      }
      return new LimitsGuardrail(this);
    }

    private static int positive(int value, String what) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
