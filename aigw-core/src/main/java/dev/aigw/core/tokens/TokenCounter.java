package dev.aigw.core.tokens;

import dev.aigw.api.ChatRequest;
import java.util.Objects;

/**
 * Counts tokens the way a model's tokenizer would, before a call. Thread-safe.
 *
 * <p>Get one with {@link #forModel(String)}, or directly with {@link #o200k()}, {@link #cl100k()}
 * and {@link #estimate(TokenCounter, double)}. The returned counters are shared, immutable
 * singletons; the first count with an encoding loads it (about 100 ms, once per JVM).
 *
 * <h2>Which counter for which model</h2>
 *
 * <ul>
 *   <li><b>OpenAI, exact text counts.</b> {@code o200k_base} for gpt-4o, chatgpt-4o, gpt-4.1,
 *       gpt-4.5, gpt-5 and later, o1, o3, o4 and the other newer OpenAI models;
 *       {@code cl100k_base} for gpt-4 (not 4o/4.1/4.5), gpt-4-turbo, gpt-3.5-turbo,
 *       text-embedding-3-* and text-embedding-ada-002. Text is tokenized with JTokkit exactly
 *       as OpenAI's tiktoken does.
 *   <li><b>Everyone else, an estimate.</b> Anthropic's and Google's tokenizers are not available
 *       offline, so other models get the {@code o200k_base} count times a conservative factor,
 *       rounded up ({@link #estimate(TokenCounter, double)}). Over-counting is the safe side for
 *       budgets and context windows; under-counting would let a request through that the
 *       provider then rejects. The factors, each an estimate and not a measurement of every
 *       kind of text:
 *       <ul>
 *         <li>{@link #CLAUDE_FACTOR} 1.3 for Claude up to 4.6: a published comparison of the
 *             counts Anthropic's and OpenAI's APIs report for the same inputs (Claude 3.5
 *             Sonnet against GPT-4o; VentureBeat, 2025) found about 16% more tokens for English
 *             prose, 21% for math and 30% for Python code; 1.3 covers all three.
 *         <li>{@link #CLAUDE_4_7_FACTOR} 1.76 for Claude 4.7 and later (and for a Claude model
 *             name without a version): Opus 4.7 introduced an updated tokenizer which, per
 *             Anthropic's release material as reported, produces about 1.0 to 1.35 times the
 *             tokens of earlier Claude models for the same text; 1.3 × 1.35, rounded up.
 *         <li>{@link #GEMINI_FACTOR} 1.2 for Gemini and Gemma: Google documents about 4
 *             characters per token for English, close to {@code o200k_base}, but the Gemini
 *             family's SentencePiece tokenizer (published with Gemma) splits numbers into
 *             single digits and keeps whitespace runs, so numeric text and code cost more.
 *         <li>{@link #DEFAULT_FACTOR} 1.5 for any other model: the tokenizer is unknown, and the
 *             least efficient ones still in use (32k-vocabulary SentencePiece, as in Llama 2 and
 *             Mistral 7B) need, by our estimate, up to about 1.5 times the tokens of {@code
 *             o200k_base} for English, more for other scripts. Modern 100k+ vocabularies (Llama
 *             3, Mistral's Tekken, DeepSeek, Qwen) are much closer to 1, so this over-counts
 *             them; pass a smaller factor when the tokenizer is known.
 *       </ul>
 *       Text in scripts other than Latin (CJK, Cyrillic, ...) can exceed these factors, since
 *       {@code o200k_base} is unusually efficient for them. Override with, for example, {@code
 *       TokenCounter.estimate(TokenCounter.o200k(), 1.4)}.
 * </ul>
 *
 * <h2>How a request is counted</h2>
 *
 * {@link #count(ChatRequest)} follows the rule OpenAI publishes for its chat models (the
 * "How to count tokens with tiktoken" cookbook): every message costs 3 tokens of framing plus
 * its role (1 token) plus its content, and every reply is primed with 3 tokens. ({@code +1} for
 * a message name does not arise: {@link dev.aigw.api.Message} has no name.) The rest is an
 * approximation, because OpenAI does not publish how it renders these parts:
 *
 * <ul>
 *   <li><b>Tool definitions</b> are rendered by OpenAI into a hidden system-prompt text. They are
 *       counted as the tokens of each tool's name, description and compacted parameter schema,
 *       plus 10 tokens per tool and 6 per request (2 when the request has a system message,
 *       which the definitions then share). Against fourteen single-tool requests whose prompt
 *       tokens the OpenAI API reported (the fixtures of pamelafox/openai-messages-token-helper),
 *       this is never below the API's count and at most 22 tokens above it. Large schemas are
 *       over-counted more: JSON syntax costs more tokens than OpenAI's TypeScript-like
 *       rendering.
 *   <li><b>Tool choice</b>: {@code none} adds 1 token; a named tool 7 plus its name (both match
 *       those fixtures); {@code required} 7 (not measured).
 *   <li><b>Tool calls</b> in assistant messages: 6 tokens each plus the tokens of the name and
 *       the arguments; the call id is not counted. <b>Tool results</b> are counted like any
 *       message. Expect a few tokens of error per call.
 *   <li><b>Response format</b>: a JSON schema adds the tokens of its name and compacted schema
 *       plus 10; {@code json_object} adds nothing. An approximation of the same kind as tools.
 *   <li><b>Images</b> cost {@link #IMAGE_TOKENS} (765) each, because their dimensions are not
 *       known here. That is what gpt-4o charges for a 1024×1024 image at high detail (85 + 4
 *       tiles × 170). The real figure ranges from 85 (low detail) through 255 (a tiny image) to
 *       1,105 (a 16:9 screenshot) and 1,445 (gpt-4o, high detail, 768×2048); gpt-4o-mini reports
 *       many times more; Claude charges about width × height / 750, up to about 1,600 (more on
 *       4.7 and later); Gemini 258 per 768-pixel tile. Add your own figure when the sizes are
 *       known.
 * </ul>
 *
 * <p>An estimating counter applies its factor to the whole, overheads and images included.
 */
public interface TokenCounter {

  /** The factor for Claude models before 4.7 (see the class documentation for the basis). */
  double CLAUDE_FACTOR = 1.3;

  /** The factor for Claude 4.7 and later, whose tokenizer yields more tokens than earlier Claude models. */
  double CLAUDE_4_7_FACTOR = 1.76;

  /** The factor for Gemini and Gemma models (see the class documentation for the basis). */
  double GEMINI_FACTOR = 1.2;

  /** The factor for models whose tokenizer is unknown. */
  double DEFAULT_FACTOR = 1.5;

  /** The tokens counted for one image of any size (gpt-4o, 1024×1024, high detail). */
  int IMAGE_TOKENS = 765;

  /**
   * {@return the tokens of plain text} Text that looks like a special token (for example {@code
   * "<|endoftext|>"}) is counted as ordinary text, as a provider treats user input; it never
   * throws.
   *
   * @param text the text
   */
  int count(String text);

  /**
   * {@return the prompt tokens of a whole request: every message's content with the per-message
   * overhead (role, name, separators), tool calls and tool results, tool definitions, the
   * response-format schema, images (a documented constant per image, since dimensions are unknown),
   * and the reply priming} Not the output. Saturates at {@link Integer#MAX_VALUE}.
   *
   * @param request the request
   */
  int count(ChatRequest request);

  /**
   * {@return a cheap bound, always {@code >=} {@link #count(ChatRequest)}, computed without
   * tokenizing: the UTF-8 length of all text (a byte-level BPE token covers at least one byte) plus
   * the same overheads as {@code count}, scaled like {@code count}} Routing uses it to skip
   * counting when a request obviously fits a window. O(characters), and allocates nothing per
   * character.
   *
   * @param request the request
   */
  int upperBound(ChatRequest request);

  /**
   * {@return what this counter is, for example {@code "o200k_base"}, {@code "cl100k_base"}, {@code
   * "estimate(o200k_base x1.3)"}}
   */
  String name();

  /**
   * {@return the counter for a model name: bare ({@code "gpt-4o"}, {@code "claude-sonnet-4-5"},
   * {@code "gemini-2.5-pro"}) or with a provider or path prefix, of which only the part after the
   * last {@code '/'} is used ({@code "openai/gpt-4o"}, {@code "models/gemini-2.5-pro"})} OpenAI
   * fine-tunes ({@code "ft:gpt-4o-mini:org::id"}) map like their base model. Case-insensitive.
   * Cheap: returns shared instances and allocates nothing.
   *
   * <ul>
   *   <li>{@link #o200k()}: {@code gpt-4o*}, {@code chatgpt-*}, {@code gpt-4.1*}, {@code
   *       gpt-4.5*}, {@code gpt-5*} and any later {@code gpt-N}, {@code o1*}, {@code o3*}, {@code
   *       o4*} (any {@code o} followed by a digit), {@code gpt-oss*}, {@code gpt-realtime*},
   *       {@code gpt-audio*}, {@code gpt-image*}, {@code codex-*}, {@code computer-use*}, {@code
   *       omni-moderation*}.
   *   <li>{@link #cl100k()}: {@code gpt-4*} otherwise (gpt-4, gpt-4-0613, gpt-4-32k,
   *       gpt-4-turbo), {@code gpt-3.5*} and Azure's {@code gpt-35*}, {@code text-embedding-3*},
   *       {@code text-embedding-ada-002}, {@code davinci-002}, {@code babbage-002}.
   *   <li>Names containing {@code claude}: {@code o200k_base} × {@link #CLAUDE_FACTOR}, or ×
   *       {@link #CLAUDE_4_7_FACTOR} from version 4.7 on or when no version can be read (versions
   *       are read from the usual spellings: {@code claude-3-5-sonnet-20240620}, {@code
   *       claude-opus-4-7}, {@code claude-sonnet-4.5}, {@code anthropic.claude-...}).
   *   <li>Names containing {@code gemini} or {@code gemma}: {@code o200k_base} × {@link
   *       #GEMINI_FACTOR}.
   *   <li>Anything else, including Azure deployment names: {@code o200k_base} × {@link
   *       #DEFAULT_FACTOR}.
   * </ul>
   *
   * @param model the model name
   * @throws NullPointerException when {@code model} is null
   */
  static TokenCounter forModel(String model) {
    return Counters.forModel(model);
  }

  /** {@return OpenAI's {@code o200k_base} encoding (gpt-4o and newer)} */
  static TokenCounter o200k() {
    return Counters.O200K;
  }

  /** {@return OpenAI's {@code cl100k_base} encoding (gpt-4, gpt-3.5-turbo, text-embedding-3)} */
  static TokenCounter cl100k() {
    return Counters.CL100K;
  }

  /**
   * The documented estimate used for non-OpenAI models: {@code base}'s count times {@code
   * factor}, rounded up ({@code factor} is used to six decimal places, rounded up). Applies to
   * {@link #count(String)}, {@link #count(ChatRequest)} and {@link #upperBound(ChatRequest)} alike,
   * so the bound still holds.
   *
   * @param factor at least 1 and at most 100
   * @param base the counter whose counts are scaled
   * @return the estimating counter
   * @throws IllegalArgumentException when {@code factor} is out of range or not a number
   * @throws NullPointerException when {@code base} is null
   */
  static TokenCounter estimate(TokenCounter base, double factor) {
    return new EstimatingTokenCounter(Objects.requireNonNull(base, "base"), factor);
  }
}
