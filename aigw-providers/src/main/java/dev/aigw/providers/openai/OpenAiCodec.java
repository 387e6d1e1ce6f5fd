package dev.aigw.providers.openai;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContentPart;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.Json;
import dev.aigw.providers.internal.SseEvent;
import dev.aigw.providers.internal.StreamDecoder;
import dev.aigw.providers.openai.OpenAiWire.AnswerMessage;
import dev.aigw.providers.openai.OpenAiWire.AnswerToolCall;
import dev.aigw.providers.openai.OpenAiWire.ChatRequestBody;
import dev.aigw.providers.openai.OpenAiWire.ChatResponseBody;
import dev.aigw.providers.openai.OpenAiWire.ChunkBody;
import dev.aigw.providers.openai.OpenAiWire.DeltaChoice;
import dev.aigw.providers.openai.OpenAiWire.MessageBody;
import dev.aigw.providers.openai.OpenAiWire.PartBody;
import dev.aigw.providers.openai.OpenAiWire.UsageBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Maps between the api's types and the chat-completions wire format. Stateless but for the stream decoder. */
final class OpenAiCodec {
  private final String provider;
  private final boolean maxCompletionTokens;
  private final boolean streamUsage;

  /**
   * @param provider the provider id, for messages
   * @param maxCompletionTokens send {@code max_completion_tokens} (OpenAI, Azure) rather than {@code max_tokens}
   * @param streamUsage ask for usage on streams with {@code stream_options.include_usage}
   */
  OpenAiCodec(String provider, boolean maxCompletionTokens, boolean streamUsage) {
    this.provider = provider;
    this.maxCompletionTokens = maxCompletionTokens;
    this.streamUsage = streamUsage;
  }

  // ---- request ----

  ChatRequestBody body(ChatRequest request, boolean stream) {
    List<MessageBody> messages = new ArrayList<>(request.messages().size());
    for (Message m : request.messages()) {
      messages.add(message(m));
    }
    List<OpenAiWire.ToolBody> tools = null;
    if (!request.tools().isEmpty()) {
      tools = new ArrayList<>(request.tools().size());
      for (ToolSpec t : request.tools()) {
        tools.add(new OpenAiWire.ToolBody("function",
            new OpenAiWire.FunctionBody(t.name(), t.description().isEmpty() ? null : t.description(), t.parametersSchema())));
      }
    }
    Integer max = request.maxOutputTokens().isPresent() ? request.maxOutputTokens().getAsInt() : null;
    return new ChatRequestBody(
        request.model(),
        messages,
        tools,
        request.toolChoice().map(OpenAiCodec::toolChoice).orElse(null),
        responseFormat(request.responseFormat()),
        request.temperature().isPresent() ? request.temperature().getAsDouble() : null,
        request.topP().isPresent() ? request.topP().getAsDouble() : null,
        maxCompletionTokens ? null : max,
        maxCompletionTokens ? max : null,
        request.stop().isEmpty() ? null : request.stop(),
        request.seed().isPresent() ? request.seed().getAsLong() : null,
        stream ? Boolean.TRUE : null,
        stream && streamUsage ? new OpenAiWire.StreamOptions(true) : null,
        request.extra());
  }

  private static MessageBody message(Message m) {
    return switch (m.role()) {
      case SYSTEM -> new MessageBody("system", m.text(), null, null);
      case USER -> new MessageBody("user", userContent(m), null, null);
      case ASSISTANT -> new MessageBody("assistant",
          m.toolCalls().isEmpty() || !m.text().isEmpty() ? m.text() : null,
          m.toolCalls().isEmpty() ? null : m.toolCalls().stream()
              .map(c -> new OpenAiWire.ToolCallBody(c.id(), "function", new OpenAiWire.FunctionCallBody(c.name(), c.arguments())))
              .toList(),
          null);
      case TOOL -> new MessageBody("tool", m.text(), null, m.toolCallId().orElseThrow());
    };
  }

  private static Object userContent(Message m) {
    if (m.content().size() == 1 && m.content().get(0) instanceof ContentPart.Text t) {
      return t.text();
    }
    List<PartBody> parts = new ArrayList<>(m.content().size());
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Text t) {
        parts.add(new PartBody("text", t.text(), null));
      } else if (part instanceof ContentPart.Image image) {
        parts.add(new PartBody("image_url", null, new OpenAiWire.ImageUrl(image.toUrl())));
      }
    }
    return parts;
  }

  private static Object toolChoice(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> "auto";
      case NONE -> "none";
      case REQUIRED -> "required";
      case TOOL -> new OpenAiWire.NamedToolChoice("function", new OpenAiWire.NamedFunction(choice.toolName().orElseThrow()));
    };
  }

  private static OpenAiWire.@Nullable ResponseFormatBody responseFormat(ResponseFormat format) {
    return switch (format.type()) {
      case TEXT -> null;
      case JSON_OBJECT -> new OpenAiWire.ResponseFormatBody("json_object", null);
      case JSON_SCHEMA -> new OpenAiWire.ResponseFormatBody("json_schema",
          new OpenAiWire.JsonSchemaBody(format.name().orElseThrow(), format.schema().orElseThrow(), format.strict()));
    };
  }

  // ---- blocking response ----

  ChatResponse response(ChatResponseBody body, ChatRequest request, int status) {
    if (body.choices() == null || body.choices().isEmpty() || body.choices().get(0) == null
        || body.choices().get(0).message() == null) {
      throw ErrorMapping.malformed(provider, status, "the answer has no choices", null);
    }
    OpenAiWire.Choice choice = body.choices().get(0);
    AnswerMessage answer = choice.message();
    if (answer.refusal() != null && !answer.refusal().isEmpty()) {
      throw new ContentFilteredException(provider, status, "provider '" + provider + "': the model refused to answer");
    }
    if ("content_filter".equals(choice.finishReason())) {
      throw new ContentFilteredException(provider, status, "provider '" + provider + "' withheld the answer (content_filter)");
    }
    String text = answer.content() == null ? "" : answer.content();
    List<ToolCall> calls = new ArrayList<>();
    if (answer.toolCalls() != null) {
      for (AnswerToolCall call : answer.toolCalls()) {
        if (call == null || call.id() == null || call.function() == null || call.function().name() == null) {
          throw ErrorMapping.malformed(provider, status, "a tool call without id or name", null);
        }
        calls.add(new ToolCall(call.id(), call.function().name(),
            call.function().arguments() == null ? "" : call.function().arguments()));
      }
    }
    String reasoning = answer.reasoningContent() != null ? answer.reasoningContent()
        : answer.reasoning() != null ? answer.reasoning() : "";
    return ChatResponse.builder()
        .id(body.id() != null && !body.id().isBlank() ? body.id() : "chatcmpl-" + UUID.randomUUID())
        .model(body.model() != null && !body.model().isBlank() ? body.model() : request.model())
        .message(calls.isEmpty() ? Message.assistant(text) : Message.assistant(text, calls))
        .reasoning(reasoning)
        .finishReason(finishReason(choice.finishReason(), !calls.isEmpty()))
        .usage(body.usage() != null ? usage(body.usage()) : estimate(request, text.length() + reasoning.length()))
        .build();
  }

  static FinishReason finishReason(@Nullable String reason, boolean hasToolCalls) {
    if (reason == null) {
      return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
    return switch (reason) {
      case "stop", "end_turn", "eos" -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "length", "max_tokens" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** The api's usage; a negative count (from a broken server) counts as 0, as for the other providers. */
  static Usage usage(UsageBody u) {
    long input = Math.max(0, u.promptTokens());
    long output = Math.max(0, u.completionTokens());
    long cached = u.promptDetails() != null && u.promptDetails().cachedTokens() != null ? u.promptDetails().cachedTokens() : 0;
    long reasoning = u.completionDetails() != null && u.completionDetails().reasoningTokens() != null
        ? u.completionDetails().reasoningTokens() : 0;
    return new Usage(input, output, Math.min(Math.max(0, cached), input), 0, Math.min(Math.max(0, reasoning), output));
  }

  /** A local estimate (4 characters a token) for servers that report no usage. */
  static Usage estimate(ChatRequest request, long outputChars) {
    long inputChars = 0;
    for (Message m : request.messages()) {
      inputChars += m.text().length();
      for (ToolCall c : m.toolCalls()) {
        inputChars += c.name().length() + c.arguments().length();
      }
    }
    return Usage.estimated((inputChars + 3) / 4, (outputChars + 3) / 4);
  }

  // ---- stream ----

  StreamDecoder decoder(ChatRequest request, @Nullable String secret) {
    return new Decoder(request, secret);
  }

  /**
   * Decodes chat-completion chunks. Complete at {@code [DONE]}; a body that ends after a finish
   * reason (servers that omit {@code [DONE]}) is complete too. A missing usage is estimated.
   */
  private final class Decoder implements StreamDecoder {
    private final ChatRequest request;
    private final @Nullable String secret;
    private boolean sentHeader;
    private boolean finished;
    private boolean done;
    private boolean usageSeen;
    private boolean refused;
    private @Nullable String finishReason;
    private boolean toolCallsSeen;
    private long outputChars;

    Decoder(ChatRequest request, @Nullable String secret) {
      this.request = request;
      this.secret = secret;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<ChatChunk> out) {
      String data = event.data();
      if (data.equals("[DONE]")) {
        end(out);
        return;
      }
      ChunkBody chunk;
      try {
        chunk = Json.read(data, ChunkBody.class);
      } catch (IOException e) {
        throw ErrorMapping.malformed(provider, 200, "a stream event is not the documented JSON", e);
      }
      if (chunk == null) {
        throw ErrorMapping.malformed(provider, 200, "a stream event that is JSON null", null);
      }
      if (chunk.error() != null) {
        throw ErrorMapping.fromStreamError(provider, new ErrorBody(chunk.error(), null), secret);
      }
      ChatChunk.Builder b = ChatChunk.builder();
      boolean any = false;
      if (!sentHeader && (chunk.id() != null || chunk.model() != null)) {
        if (chunk.id() != null && !chunk.id().isBlank()) {
          b.id(chunk.id());
        }
        if (chunk.model() != null && !chunk.model().isBlank()) {
          b.model(chunk.model());
        }
        sentHeader = true;
        any = true;
      }
      if (chunk.choices() != null && !chunk.choices().isEmpty() && chunk.choices().get(0) != null) {
        DeltaChoice choice = chunk.choices().get(0);
        AnswerMessage delta = choice.delta();
        if (delta != null) {
          any |= applyDelta(delta, b);
        }
        if (choice.finishReason() != null) {
          finishReason = choice.finishReason();
          finished = true;
        }
      }
      if (chunk.usage() != null) {
        b.usage(usage(chunk.usage()));
        usageSeen = true;
        any = true;
      }
      if (any) {
        out.accept(b.build());
      }
      if (finished && "content_filter".equals(finishReason)) {
        throw new ContentFilteredException(provider, 200, "provider '" + provider + "' cut the answer (content_filter)");
      }
    }

    private boolean applyDelta(AnswerMessage delta, ChatChunk.Builder b) {
      boolean any = false;
      if (delta.content() != null && !delta.content().isEmpty()) {
        b.text(delta.content());
        outputChars += delta.content().length();
        any = true;
      }
      String reasoning = delta.reasoningContent() != null ? delta.reasoningContent() : delta.reasoning();
      if (reasoning != null && !reasoning.isEmpty()) {
        b.reasoning(reasoning);
        outputChars += reasoning.length();
        any = true;
      }
      if (delta.refusal() != null && !delta.refusal().isEmpty()) {
        refused = true;
      }
      if (delta.toolCalls() != null && !delta.toolCalls().isEmpty()) {
        List<ToolCallDelta> deltas = new ArrayList<>(delta.toolCalls().size());
        for (int i = 0; i < delta.toolCalls().size(); i++) {
          AnswerToolCall call = delta.toolCalls().get(i);
          if (call == null) {
            throw ErrorMapping.malformed(provider, 200, "a tool call delta that is JSON null", null);
          }
          int index = call.index() != null ? call.index() : i;
          if (index < 0) {
            throw ErrorMapping.malformed(provider, 200, "a tool call delta with a negative index", null);
          }
          String args = call.function() != null && call.function().arguments() != null ? call.function().arguments() : "";
          String name = call.function() != null ? call.function().name() : null;
          outputChars += args.length();
          deltas.add(new ToolCallDelta(index,
              java.util.Optional.ofNullable(call.id()).filter(s -> !s.isBlank()),
              java.util.Optional.ofNullable(name).filter(s -> !s.isBlank()),
              args));
        }
        b.toolCalls(deltas);
        toolCallsSeen = true;
        any = true;
      }
      return any;
    }

    private void end(Consumer<ChatChunk> out) {
      if (done) {
        return;
      }
      if (refused) {
        throw new ContentFilteredException(provider, 200, "provider '" + provider + "': the model refused to answer");
      }
      ChatChunk.Builder last = ChatChunk.builder().finishReason(finishReason(finishReason, toolCallsSeen));
      if (!usageSeen) {
        last.usage(estimate(request, outputChars));
      }
      out.accept(last.build());
      done = true;
    }

    @Override
    public void onEnd(Consumer<ChatChunk> out) {
      if (finished) {
        end(out);
      }
    }

    @Override
    public boolean isComplete() {
      return done;
    }
  }
}
