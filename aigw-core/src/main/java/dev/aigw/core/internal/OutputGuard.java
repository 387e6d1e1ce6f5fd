package dev.aigw.core.internal;

import dev.aigw.api.Attempt;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.FinishReason;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.StreamTransformer;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.Guardrail.Match;
import dev.aigw.core.guardrail.Guardrail.Site;
import dev.aigw.core.guardrail.StructuredOutput;
import dev.aigw.core.internal.GuardrailScan.Hit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Output guardrails and structured-output validation, as the application interceptor after the
 * cache (so a blocked or invalid answer is never cached, and a cached one was checked before it
 * was stored).
 *
 * <p>Blocking answers are scanned whole. Streams are scanned as they flow through a hold-back
 * buffer of the guardrails' longest match: a span is released only once every match that could
 * start in it has been seen whole, masked spans are released masked, and a block ends the stream
 * with a {@link GuardrailViolationException} (cancelling the upstream) before any of the blocked
 * text is released. Guardrails with a whole-answer verdict hold a stream until it ends. The
 * arguments of the answer's tool calls are scanned too (their findings carry no position); in a
 * stream, tool calls are held and released whole at its end.
 *
 * <p>When the request asks for JSON matching a schema, the answer is validated; an invalid
 * blocking answer is re-asked with the validation errors, up to the configured number of times,
 * and then fails. A stream cannot be re-asked once released: an invalid streamed answer fails at
 * its end.
 */
public final class OutputGuard implements Interceptor {
  /** Raw text kept before the unreleased text so that rules see word boundaries across releases. */
  private static final int CONTEXT_CHARS = 64;

  private final List<Guardrail> guardrails;
  private final int holdBack;
  private final StructuredOutput structured;
  private final SchemaValidator validator = new SchemaValidator();

  /**
   * @param guardrails every configured guardrail, in order (those that scan output are used)
   * @param structured the structured-output policy
   */
  public OutputGuard(List<Guardrail> guardrails, StructuredOutput structured) {
    this.guardrails = guardrails.stream().filter(Guardrail::scansOutput).toList();
    int most = 0;
    for (Guardrail g : this.guardrails) {
      most = Math.max(most, g.maxMatchLength());
    }
    this.holdBack = most;
    this.structured = structured;
  }

  /** Whether this interceptor has anything to do: output guardrails, or structured output to validate. */
  public boolean active() {
    return !guardrails.isEmpty() || structured.enabled();
  }

  private @Nullable String schemaOf(ChatRequest request) {
    ResponseFormat format = request.responseFormat();
    return structured.enabled() && format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.schema().orElse(null) : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Blocking

  @Override
  public ChatResponse intercept(Chain chain) {
    RealChain real = (RealChain) chain;
    ChatRequest request = chain.request();
    ChatResponse response = checked(real, request, chain.proceed(request));
    String schema = schemaOf(request);
    if (schema == null) {
      return response;
    }
    List<ChatResponse> answers = new ArrayList<>();
    answers.add(response);
    ChatRequest asked = request;
    while (true) {
      List<SchemaValidator.Problem> problems = response.finishReason() == FinishReason.TOOL_CALLS
          ? List.of() : validator.validate(schema, response.text());
      if (problems.isEmpty()) {
        return answers.size() == 1 ? response : combined(response, answers);
      }
      if (answers.size() > structured.maxReasks()) {
        throw schemaFailure(real, problems, answers.size() - 1);
      }
      real.scope().listener().guardrail(real.call(), StructuredOutput.NAME, false, GuardrailAction.FLAG,
          schemaFindings(problems, GuardrailAction.FLAG));
      List<Message> messages = new ArrayList<>(asked.messages());
      messages.add(Message.assistant(response.text()));
      messages.add(Message.user(SchemaValidator.reask(problems)));
      asked = asked.toBuilder().messages(messages).build();
      response = checked(real, asked, chain.proceed(asked));
      answers.add(response);
    }
  }

  private static List<GuardrailFinding> schemaFindings(List<SchemaValidator.Problem> problems, GuardrailAction action) {
    List<GuardrailFinding> findings = new ArrayList<>(problems.size());
    for (int i = 0; i < problems.size(); i++) {
      findings.add(new GuardrailFinding(StructuredOutput.NAME, "SCHEMA_MISMATCH", false, -1, -1, -1, action, 1));
    }
    return findings;
  }

  /**
   * Reports an answer that still does not match its schema and returns the exception to throw,
   * which names where and which keyword failed, never the answer's values.
   */
  private static GuardrailViolationException schemaFailure(RealChain chain, List<SchemaValidator.Problem> problems, int reasks) {
    List<GuardrailFinding> findings = schemaFindings(problems, GuardrailAction.BLOCK);
    chain.scope().listener().guardrail(chain.call(), StructuredOutput.NAME, false, GuardrailAction.BLOCK, findings);
    return new GuardrailViolationException(StructuredOutput.NAME, "the answer does not match the request's JSON schema"
        + (reasks == 0 ? "" : " after " + reasks + (reasks == 1 ? " re-ask" : " re-asks")) + ": "
        + SchemaValidator.describe(problems), findings);
  }

  /** The last answer, with the usage, cost and attempts of every answer it took. */
  private static ChatResponse combined(ChatResponse last, List<ChatResponse> answers) {
    Usage usage = null;
    Cost cost = null;
    boolean priced = true;
    List<Attempt> attempts = new ArrayList<>();
    for (ChatResponse r : answers) {
      if (r.usage().isPresent()) {
        usage = usage == null ? r.usage().get() : usage.plus(r.usage().get());
      }
      Cost c = r.metadata().cost().orElse(null);
      if (c == null || cost != null && !cost.currency().equals(c.currency())) {
        priced = false;
      } else {
        cost = cost == null ? c : cost.plus(c);
      }
      attempts.addAll(r.metadata().attempts());
    }
    ResponseMetadata.Builder m = last.metadata().toBuilder().attempts(attempts);
    if (priced && cost != null) {
      m.cost(cost);
    }
    ChatResponse.Builder b = last.toBuilder().metadata(m.build());
    if (usage != null) {
      b.usage(usage);
    }
    return b.build();
  }

  /** {@code response} after the output guardrails: masked, flagged, or blocked (thrown). */
  private ChatResponse checked(RealChain chain, ChatRequest request, ChatResponse response) {
    if (guardrails.isEmpty()) {
      return response;
    }
    Scan scan = new Scan(chain, request, new ArrayList<>(), true);
    String text = scan.release(response.text(), true);
    List<ToolCall> calls = new ArrayList<>(response.toolCalls().size());
    boolean callsChanged = false;
    for (ToolCall call : response.toolCalls()) {
      String args = scan.arguments(call.arguments());
      callsChanged |= !args.equals(call.arguments());
      calls.add(new ToolCall(call.id(), call.name(), args));
    }
    scan.verdict(text);
    if (scan.findings.isEmpty()) {
      return response;
    }
    ChatResponse.Builder b = response.toBuilder().metadata(scan.withFindings(response.metadata()));
    if (!text.equals(response.text()) || callsChanged) {
      b.message(calls.isEmpty() ? Message.assistant(text) : Message.assistant(text, calls));
    }
    return b.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Streams

  @Override
  public ChatStream interceptStream(Chain chain) {
    RealChain real = (RealChain) chain;
    ChatRequest request = chain.request();
    ChatStream stream = chain.proceedStream(request);
    String schema = schemaOf(request);
    if (guardrails.isEmpty() && schema == null) {
      return stream;
    }
    Scan scan = new Scan(real, request, new ArrayList<>(), true);
    return stream.transform(new Guarding(scan, schema)).withMetadata(scan::withFindings);
  }

  /** Scans a stream's text through the hold-back buffer, and checks the whole answer at its end. */
  private final class Guarding implements StreamTransformer {
    private final Scan scan;
    private final @Nullable String schema;
    private final StringBuilder answer = new StringBuilder();
    /** Tool calls, held whole until the stream ends, by index: the first delta (id, name) and the arguments. */
    private final Map<Integer, ToolCallDelta> callHeads = new TreeMap<>();
    private final Map<Integer, StringBuilder> callArguments = new TreeMap<>();
    private @Nullable String heldId;
    private @Nullable String heldModel;

    Guarding(Scan scan, @Nullable String schema) {
      this.scan = scan;
      this.schema = schema;
    }

    @Override
    public void onChunk(ChatChunk chunk, Consumer<ChatChunk> downstream) {
      answer.append(chunk.text());
      String released = guardrails.isEmpty() ? chunk.text() : scan.release(chunk.text(), false);
      List<ToolCallDelta> calls = chunk.toolCalls();
      if (!guardrails.isEmpty() && !calls.isEmpty()) {
        for (ToolCallDelta d : calls) {
          callHeads.merge(d.index(), d, (head, next) -> new ToolCallDelta(head.index(),
              head.id().or(next::id), head.name().or(next::name), ""));
          callArguments.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.arguments());
        }
        calls = List.of();
      }
      boolean empty = released.isEmpty() && chunk.reasoning().isEmpty() && calls.isEmpty()
          && chunk.finishReason().isEmpty() && chunk.usage().isEmpty();
      if (empty) {
        heldId = chunk.id().orElse(heldId);
        heldModel = chunk.model().orElse(heldModel);
        return;
      }
      ChatChunk.Builder b = chunk.toBuilder().text(released).toolCalls(calls);
      if (heldId != null && chunk.id().isEmpty()) {
        b.id(heldId);
      }
      if (heldModel != null && chunk.model().isEmpty()) {
        b.model(heldModel);
      }
      heldId = null;
      heldModel = null;
      downstream.accept(b.build());
    }

    @Override
    public void onComplete(Consumer<ChatChunk> downstream) {
      String rest = guardrails.isEmpty() ? "" : scan.release("", true);
      List<ToolCallDelta> calls = new ArrayList<>(callHeads.size());
      callHeads.forEach((index, head) ->
          calls.add(new ToolCallDelta(index, head.id(), head.name(), scan.arguments(callArguments.get(index).toString()))));
      scan.verdict(answer.toString());
      if (schema != null) {
        List<SchemaValidator.Problem> problems = validator.validate(schema, answer.toString());
        if (!problems.isEmpty()) {
          throw schemaFailure(scan.chain, problems, 0);
        }
      }
      if (!rest.isEmpty() || heldId != null || !calls.isEmpty()) {
        ChatChunk.Builder b = ChatChunk.builder().text(rest).toolCalls(calls);
        if (heldId != null) {
          b.id(heldId);
        }
        if (heldModel != null) {
          b.model(heldModel);
        }
        downstream.accept(b.build());
      }
    }
  }

  /**
   * One answer's scan: text arrives in pieces (one piece for a blocking answer) and is released
   * once the guardrails have settled it. A match is settled when it cannot grow any more: the
   * text reaches the guardrails' longest match beyond its start, or the answer ended.
   */
  private final class Scan {
    final RealChain chain;
    final ChatRequest request;
    /** Where findings go (shared by the scans of one answer's text and its tool calls). */
    final List<GuardrailFinding> findings;
    /** Whether findings are positioned in the answer's text; tool-call arguments' findings have no position there. */
    private final boolean inText;
    private final StringBuilder pending = new StringBuilder();
    private final Set<String> flaggedWhole = new HashSet<>();
    private String context = "";
    private long consumed;

    Scan(RealChain chain, ChatRequest request, List<GuardrailFinding> findings, boolean inText) {
      this.chain = chain;
      this.request = request;
      this.findings = findings;
      this.inText = inText;
    }

    /**
     * A tool call's complete arguments after the guardrails, masked (a block is thrown); their
     * findings go with the answer's, without positions.
     */
    String arguments(String arguments) {
      return new Scan(chain, request, findings, false).release(arguments, true);
    }

    /** Appends {@code piece} and returns the text that can be released now, masked. */
    String release(String piece, boolean end) {
      pending.append(piece);
      if (pending.length() == 0 || !end && holdBack == Integer.MAX_VALUE) {
        return ""; // nothing is released before the end, so scanning can wait for it
      }
      String window = context + pending;
      List<Hit> hits = GuardrailScan.scan(guardrails, window, Site.output());
      int offset = context.length();
      int length = pending.length();
      long settledBefore = end ? length : (long) length - holdBack;
      int releasable = (int) Math.max(0, settledBefore);
      List<Hit> settled = new ArrayList<>();
      List<GuardrailFinding> found = new ArrayList<>();
      for (Hit h : hits) {
        if (!h.positioned()) {
          String key = h.guardrail().name() + ":" + h.match().type();
          if (GuardrailScan.effective(h) == GuardrailAction.BLOCK || flaggedWhole.add(key)) {
            found.add(GuardrailScan.finding(h, Site.output(), 0));
          }
          continue;
        }
        int start = h.match().start() - offset;
        int stop = h.match().end() - offset;
        if (stop <= 0) {
          continue; // within the context: handled when it was released
        }
        if (start < settledBefore) {
          Hit shifted = new Hit(h.guardrail(), new Match(h.match().type(), Math.max(0, start), stop, h.match().action(), h.match().score()));
          settled.add(shifted);
          found.add(inText ? GuardrailScan.finding(shifted, Site.output(), (int) consumed)
              : new GuardrailFinding(h.guardrail().name(), h.match().type(), false, -1, -1, -1, h.match().action(), h.match().score()));
          releasable = Math.max(releasable, stop);
        }
      }
      record(found);
      String raw = pending.substring(0, releasable);
      String out = GuardrailScan.mask(raw, settled, h -> "<" + h.match().type() + ">");
      pending.delete(0, releasable);
      consumed += releasable;
      String joined = context + raw;
      context = joined.length() <= CONTEXT_CHARS ? joined : joined.substring(joined.length() - CONTEXT_CHARS);
      return out;
    }

    /** Whole-answer verdicts (a judge), on the complete answer. */
    void verdict(String answer) {
      List<GuardrailFinding> found = new ArrayList<>();
      for (Guardrail g : guardrails) {
        for (Match m : g.checkResponse(request, answer, chain.context())) {
          found.add(GuardrailScan.finding(new Hit(g, new Match(m.type(), -1, -1, m.action(), m.score())), Site.output(), 0));
        }
      }
      record(found);
    }

    private void record(List<GuardrailFinding> found) {
      if (found.isEmpty()) {
        return;
      }
      synchronized (findings) {
        findings.addAll(found);
      }
      GuardrailScan.report(found, guardrails, false, chain.call(), chain.scope().listener());
    }

    ResponseMetadata withFindings(ResponseMetadata m) {
      List<GuardrailFinding> all;
      synchronized (findings) {
        if (findings.isEmpty()) {
          return m;
        }
        all = new ArrayList<>(m.guardrailFindings());
        all.addAll(findings);
      }
      return m.toBuilder().guardrailFindings(all).build();
    }
  }
}
