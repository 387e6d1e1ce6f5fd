package dev.aigw.core.internal;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentPart;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.StreamTransformer;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.Guardrail.Match;
import dev.aigw.core.guardrail.Guardrail.Site;
import dev.aigw.core.internal.GuardrailScan.Hit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Input guardrails, as the application interceptor before the cache: checks the request (every
 * text part of every message, and the arguments of tool calls in the history, which a caller
 * sends back with the values restored), masks
 * what the guardrails mark with reversible placeholders (so the cache key, the budget estimate and
 * the provider only ever see placeholders) and blocks what they block, before anything else
 * happens; on the way back restores the placeholders in the answer (text, reasoning and tool-call
 * arguments, also when a stream splits a placeholder across chunks) and adds the findings to the
 * answer's metadata.
 */
public final class InputGuard implements Interceptor {
  private final List<Guardrail> guardrails;
  private final List<Guardrail> textGuardrails;

  /** @param guardrails every configured guardrail, in order (those that scan input texts are used for texts) */
  public InputGuard(List<Guardrail> guardrails) {
    this.guardrails = List.copyOf(guardrails);
    this.textGuardrails = guardrails.stream().filter(Guardrail::scansInput).toList();
  }

  /** The request as it may leave, with the call's placeholders and findings. */
  private record Guarded(ChatRequest request, Placeholders placeholders, List<GuardrailFinding> findings) {
    ResponseMetadata withFindings(ResponseMetadata m) {
      if (findings.isEmpty()) {
        return m;
      }
      List<GuardrailFinding> all = new ArrayList<>(findings);
      all.addAll(m.guardrailFindings());
      return m.toBuilder().guardrailFindings(all).build();
    }
  }

  private Guarded guard(RealChain chain) {
    chain.scope().withholdContent();
    ChatRequest request = chain.request();
    List<GuardrailFinding> findings = new ArrayList<>();
    for (Guardrail guardrail : guardrails) {
      for (Match m : guardrail.checkRequest(request, chain.context())) {
        findings.add(GuardrailScan.finding(new Hit(guardrail, new Match(m.type(), -1, -1, m.action(), m.score())),
            new Site(true, null, -1), 0));
      }
    }
    Placeholders placeholders = new Placeholders();
    List<Message> messages = request.messages();
    List<Message> rewritten = null;
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      Site site = Site.input(message.role(), i);
      List<ContentPart> parts = message.content();
      List<ContentPart> newParts = null;
      for (int p = 0; p < parts.size(); p++) {
        if (!(parts.get(p) instanceof ContentPart.Text part)) {
          continue;
        }
        String text = part.text();
        String masked = scanned(text, site, findings, placeholders);
        if (!masked.equals(text)) {
          if (newParts == null) {
            newParts = new ArrayList<>(parts);
          }
          newParts.set(p, new ContentPart.Text(masked));
        }
      }
      List<ToolCall> newCalls = null;
      List<ToolCall> calls = message.toolCalls();
      for (int c = 0; c < calls.size(); c++) {
        ToolCall call = calls.get(c);
        String args = call.arguments();
        String masked = scanned(args, site, findings, placeholders);
        if (!masked.equals(args)) {
          if (newCalls == null) {
            newCalls = new ArrayList<>(calls);
          }
          newCalls.set(c, new ToolCall(call.id(), call.name(), masked));
        }
      }
      if (newParts != null || newCalls != null) {
        if (rewritten == null) {
          rewritten = new ArrayList<>(messages);
        }
        Message updated = newParts == null ? message : message.withContent(newParts);
        if (newCalls != null) {
          updated = Message.assistant(updated.text(), newCalls);
        }
        rewritten.set(i, updated);
      }
    }
    GuardrailScan.report(findings, guardrails, true, chain.call(), chain.scope().listener());
    ChatRequest guarded = rewritten == null ? request : request.toBuilder().messages(rewritten).build();
    chain.scope().guarded(guarded, placeholders);
    return new Guarded(guarded, placeholders, List.copyOf(findings));
  }

  /** Scans one text of the request, adds what was found to {@code findings}, and returns it masked. */
  private String scanned(String text, Site site, List<GuardrailFinding> findings, Placeholders placeholders) {
    List<Hit> hits = GuardrailScan.scan(textGuardrails, text, site);
    for (Hit h : hits) {
      findings.add(GuardrailScan.finding(h, site, 0));
    }
    return hits.isEmpty() ? text : GuardrailScan.mask(text, hits,
        h -> placeholders.mask(h.match().type(), text.substring(h.match().start(), h.match().end())));
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    Guarded guarded = guard((RealChain) chain);
    ChatResponse response = chain.proceed(guarded.request());
    if (guarded.findings().isEmpty()) {
      return response;
    }
    ChatResponse.Builder b = response.toBuilder().metadata(guarded.withFindings(response.metadata()));
    Placeholders p = guarded.placeholders();
    if (!p.isEmpty()) {
      List<ToolCall> calls = new ArrayList<>(response.toolCalls().size());
      for (ToolCall call : response.toolCalls()) {
        calls.add(new ToolCall(call.id(), call.name(), p.unmask(call.arguments())));
      }
      String text = p.unmask(response.text());
      b.message(calls.isEmpty() ? Message.assistant(text) : Message.assistant(text, calls)).reasoning(p.unmask(response.reasoning()));
    }
    return b.build();
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    Guarded guarded = guard((RealChain) chain);
    ChatStream stream = chain.proceedStream(guarded.request());
    if (guarded.findings().isEmpty()) {
      return stream;
    }
    if (!guarded.placeholders().isEmpty()) {
      stream = stream.transform(new Unmasking(guarded.placeholders()));
    }
    return stream.withMetadata(guarded::withFindings);
  }

  /** Restores placeholders in a stream's text, reasoning and tool-call arguments, holding back what may be half a placeholder. */
  private static final class Unmasking implements StreamTransformer {
    private final Placeholders placeholders;
    private final Placeholders.Stream text;
    private final Placeholders.Stream reasoning;
    private final Map<Integer, Placeholders.Stream> arguments = new HashMap<>();

    Unmasking(Placeholders placeholders) {
      this.placeholders = placeholders;
      this.text = placeholders.stream();
      this.reasoning = placeholders.stream();
    }

    @Override
    public void onChunk(ChatChunk chunk, Consumer<ChatChunk> downstream) {
      ChatChunk.Builder b = chunk.toBuilder().text(text.feed(chunk.text())).reasoning(reasoning.feed(chunk.reasoning()));
      if (!chunk.toolCalls().isEmpty()) {
        List<ToolCallDelta> deltas = new ArrayList<>(chunk.toolCalls().size());
        for (ToolCallDelta d : chunk.toolCalls()) {
          String args = arguments.computeIfAbsent(d.index(), i -> placeholders.stream()).feed(d.arguments());
          deltas.add(new ToolCallDelta(d.index(), d.id(), d.name(), args));
        }
        b.toolCalls(deltas);
      }
      downstream.accept(b.build());
    }

    @Override
    public void onComplete(Consumer<ChatChunk> downstream) {
      String restText = text.flush();
      String restReasoning = reasoning.flush();
      List<ToolCallDelta> deltas = new ArrayList<>();
      arguments.forEach((index, s) -> {
        String rest = s.flush();
        if (!rest.isEmpty()) {
          deltas.add(new ToolCallDelta(index, java.util.Optional.empty(), java.util.Optional.empty(), rest));
        }
      });
      if (!restText.isEmpty() || !restReasoning.isEmpty() || !deltas.isEmpty()) {
        downstream.accept(ChatChunk.builder().text(restText).reasoning(restReasoning).toolCalls(deltas).build());
      }
    }
  }
}
