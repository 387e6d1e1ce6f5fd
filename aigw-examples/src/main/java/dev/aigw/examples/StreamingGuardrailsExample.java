package dev.aigw.examples;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.Interceptor;
import dev.aigw.core.AiGateway;
import dev.aigw.core.guardrail.DenyListGuardrail;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.io.PrintStream;

/**
 * Guardrails on a stream. The fake provider streams in chunks of 4 characters, so a placeholder
 * or a phrase is always split across chunks; the gateway scans the stream through a hold-back
 * buffer as long as the longest thing a guardrail can match. An attempt interceptor taps what the
 * provider streamed, to print it next to what the caller received (chunks between {@code |}).
 *
 * <ol>
 *   <li>With {@link PiiGuardrail}, the e-mail address in the prompt goes to the model as {@code
 *       <EMAIL_1>}; the model streams the placeholder back in pieces ({@code "<EMA"}, {@code
 *       "IL_1"}, {@code ">"}), and the caller receives the address, whole, in one chunk.
 *   <li>With a {@link DenyListGuardrail} on the code name "Project Zeus" in answers, the stream
 *       ends with a {@link GuardrailViolationException}: the text before the phrase is delivered,
 *       no character of the phrase is, and the provider's stream is cancelled.
 * </ol>
 *
 * <p><b>Run it:</b> {@code ./mvnw -q -pl aigw-examples -am -Dmaven.test.skip -Dexample=StreamingGuardrailsExample package}
 */
public final class StreamingGuardrailsExample {
  private StreamingGuardrailsExample() {}

  /**
   * What the caller received.
   *
   * @param restored the text of the first stream, with the address restored
   * @param released the text the second stream released before it was stopped
   * @param stoppedBy the name of the guardrail that stopped it, or empty if none did
   */
  public record Result(String restored, String released, String stoppedBy) {}

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Streams both answers, printing the provider's and the caller's chunks to {@code out}. */
  public static Result run(PrintStream out) {
    out.println("1. a masked e-mail address, restored across chunks");
    StringBuilder restored = new StringBuilder();
    stream(PiiGuardrail.defaults(), "I have sent the receipt to <EMAIL_1> just now.",
        "Send my receipt to jane.doe@example.com", restored, out);

    out.println("2. a denied phrase stops the stream");
    StringBuilder released = new StringBuilder();
    String stoppedBy = stream(DenyListGuardrail.builder().name("code_names").outputPhrases("Project Zeus").build(),
        "The roadmap is public. Internally the launch is called Project Zeus; it is due in May, with three new engines.",
        "What is on the roadmap?", released, out);
    return new Result(restored.toString(), released.toString(), stoppedBy);
  }

  /** Streams {@code reply} through a gateway with {@code guardrail}; returns the name of the guardrail that stopped it, if one did. */
  private static String stream(Guardrail guardrail, String reply, String question, StringBuilder received, PrintStream out) {
    FakeChatProvider model = FakeChatProvider.builder().id("openai").chunkSize(4).reply(FakeReply.text(reply)).build();
    StringBuilder upstream = new StringBuilder();
    StringBuilder chunks = new StringBuilder();
    String stoppedBy = "";
    try (AiGateway gateway = AiGateway.builder().provider(model).guardrail(guardrail).attemptInterceptor(new Tap(upstream)).build();
        ChatStream stream = gateway.stream(ChatRequest.of("openai/gpt-4o-mini", question))) {
      for (ChatChunk chunk : stream) {
        received.append(chunk.text());
        chunks.append(chunk.text().isEmpty() ? "" : "|" + chunk.text());
      }
    } catch (GuardrailViolationException e) {
      stoppedBy = e.guardrail();
      chunks.append("  then: ").append(e.getMessage());
    }
    out.println("   the provider saw:      " + ((ChatRequest) model.requests().get(0).request()).lastUserText());
    out.println("   the provider streamed: " + upstream + (model.cancellations() > 0 ? "  (then it was cancelled)" : ""));
    out.println("   the caller received:   " + chunks);
    return stoppedBy;
  }

  /** An attempt interceptor: sees each attempt's stream as the provider sends it, before any guardrail. */
  private record Tap(StringBuilder upstream) implements Interceptor {
    @Override
    public ChatResponse intercept(Chain chain) {
      return chain.proceed(chain.request());
    }

    @Override
    public ChatStream interceptStream(Chain chain) {
      return chain.proceedStream(chain.request()).map(chunk -> {
        upstream.append(chunk.text().isEmpty() ? "" : "|" + chunk.text());
        return chunk;
      });
    }
  }
}
