package dev.aigw.providers.gemini;

import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import dev.aigw.providers.gemini.GeminiWire.Candidate;
import dev.aigw.providers.gemini.GeminiWire.FunctionCall;
import dev.aigw.providers.gemini.GeminiWire.GenerateContentResponse;
import dev.aigw.providers.gemini.GeminiWire.Part;
import dev.aigw.providers.gemini.GeminiWire.UsageMetadata;
import dev.aigw.providers.internal.ErrorMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Maps Gemini's {@code GenerateContentResponse} to the api's values; shared by the blocking and streaming paths. */
final class GeminiResponses {
  /** Finish reasons that mean Gemini's filters withheld or cut the answer. */
  private static final Set<String> FILTERED = Set.of(
      "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
      "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");

  private GeminiResponses() {}

  /**
   * The answer in {@code response}.
   *
   * @param requestModel the model asked for, used when the response names none
   * @throws ContentFilteredException when the prompt was blocked or the answer withheld by a filter
   * @throws ProviderException when the response has no candidate and no block reason
   */
  static ChatResponse chat(String provider, GenerateContentResponse response, String requestModel, ThoughtSignatures signatures) {
    Candidate candidate = firstCandidate(provider, response);
    String finish = candidate.finishReason();
    if (finish != null && isFiltered(finish)) {
      throw filtered(provider, finish);
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (Part part : parts(candidate)) {
      if (part.functionCall() != null) {
        calls.add(toolCall(part, calls.size(), signatures));
      } else if (part.text() != null) {
        (Boolean.TRUE.equals(part.thought()) ? reasoning : text).append(part.text());
      }
    }
    ChatResponse.Builder b = ChatResponse.builder()
        .id(nonBlank(response.responseId()) ? response.responseId() : generatedId())
        .model(nonBlank(response.modelVersion()) ? response.modelVersion() : requestModel)
        .message(calls.isEmpty() ? Message.assistant(text.toString()) : Message.assistant(text.toString(), calls))
        .reasoning(reasoning.toString())
        .finishReason(finishReason(finish, !calls.isEmpty()));
    if (response.usageMetadata() != null) {
      b.usage(usage(response.usageMetadata()));
    }
    return b.build();
  }

  /**
   * The first candidate.
   *
   * @throws ContentFilteredException when there is none because the prompt was blocked
   * @throws ProviderException when there is none for no stated reason
   */
  static Candidate firstCandidate(String provider, GenerateContentResponse response) {
    Candidate candidate = candidateOrBlock(provider, response);
    if (candidate == null) {
      throw ErrorMapping.malformed(provider, 200, "a response with no candidate and no block reason", null);
    }
    return candidate;
  }

  /**
   * The first candidate, or null when there is none.
   *
   * @throws ContentFilteredException when there is none because the prompt was blocked
   */
  static @Nullable Candidate candidateOrBlock(String provider, GenerateContentResponse response) {
    if (response.candidates() == null || response.candidates().isEmpty() || response.candidates().get(0) == null) {
      String block = response.promptFeedback() == null ? null : response.promptFeedback().blockReason();
      if (block != null && !block.isEmpty()) {
        throw new ContentFilteredException(provider, 200,
            "provider '" + provider + "' blocked the prompt (promptFeedback.blockReason " + enumName(block) + ")");
      }
      return null;
    }
    return response.candidates().get(0);
  }

  /** The candidate's parts, without null ones (which carry nothing). */
  static List<Part> parts(Candidate candidate) {
    if (candidate.content() == null || candidate.content().parts() == null) {
      return List.of();
    }
    List<Part> parts = candidate.content().parts();
    return parts.contains(null) ? parts.stream().filter(java.util.Objects::nonNull).toList() : parts;
  }

  /** A function-call part as a {@link ToolCall}, remembering its thought signature. */
  static ToolCall toolCall(Part part, int index, ThoughtSignatures signatures) {
    FunctionCall call = part.functionCall();
    String id = nonBlank(call.id()) ? call.id() : "call_" + index;
    String name = nonBlank(call.name()) ? call.name() : "unknown";
    String args = call.args() == null ? "{}" : call.args();
    signatures.remember(id, name, args, part.thoughtSignature());
    return new ToolCall(id, name, args);
  }

  /**
   * {@code value} when it reads as the name of one of Gemini's enum constants, as a block reason
   * should; otherwise a placeholder, so that no other text of the server's reaches a message
   * (it could be anything, a credential included).
   */
  private static String enumName(String value) {
    return value.length() <= 64 && value.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')
        ? value : "(not an enum name)";
  }

  static boolean isFiltered(String finishReason) {
    return FILTERED.contains(finishReason);
  }

  static ContentFilteredException filtered(String provider, String finishReason) {
    return new ContentFilteredException(provider, 200,
        "provider '" + provider + "' withheld the answer (finishReason " + finishReason + ")");
  }

  /**
   * Gemini's finish reason in the api's words; {@code STOP} with function calls is {@link
   * FinishReason#TOOL_CALLS}. A missing reason counts as a natural end.
   */
  static FinishReason finishReason(@Nullable String reason, boolean toolCalls) {
    if (reason == null || reason.equals("STOP")) {
      return toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
    if (reason.equals("MAX_TOKENS")) {
      return FinishReason.LENGTH;
    }
    if (isFiltered(reason)) {
      return FinishReason.CONTENT_FILTER;
    }
    return FinishReason.OTHER;
  }

  /**
   * Gemini's usage in the api's terms: input counts the prompt (cached part included) and the
   * tool-use prompt; output counts the candidates and the thoughts, which Gemini reports apart.
   */
  static Usage usage(UsageMetadata u) {
    long prompt = count(u.promptTokenCount()) + count(u.toolUsePromptTokenCount());
    long thoughts = count(u.thoughtsTokenCount());
    long output = count(u.candidatesTokenCount()) + thoughts;
    long cached = Math.min(count(u.cachedContentTokenCount()), prompt);
    return new Usage(prompt, output, cached, 0, thoughts);
  }

  private static long count(@Nullable Long value) {
    return value == null || value < 0 ? 0 : value;
  }

  static boolean nonBlank(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  /** An id for a response that carries none. */
  static String generatedId() {
    return "gemini-" + UUID.randomUUID();
  }
}
