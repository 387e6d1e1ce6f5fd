package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.examples.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's demo runs in CI too, and shows what it claims: fallbacks, streams, async, a deadline. */
class DemoIT {
  @Test
  void theDemoServesEveryKindOfCallAndShowsFallbackAndADeadline() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Demo.Row> rows = Demo.run(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(rows).extracting(Demo.Row::kind).contains("blocking", "stream", "async");
    assertThat(rows).filteredOn(r -> r.attempts().contains("fb")).isNotEmpty();
    assertThat(rows).filteredOn(r -> r.outcome().equals("DeadlineExceeded")).hasSize(1);
    assertThat(rows).filteredOn(r -> r.outcome().equals("closed early")).hasSize(1);
    assertThat(rows).filteredOn(r -> r.outcome().equals("ok")).hasSize(rows.size() - 2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("served by").contains("cancelled at the deadline: 1");
  }

  @Test
  void withSpansTheDemoAlsoPrintsEachCallsSpansAfterItsSummary() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Demo.Row> rows = Demo.run(new PrintStream(out, true, StandardCharsets.UTF_8), true);

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("served by").contains("cancelled at the deadline: 1");
    String spans = printed.substring(printed.indexOf("cancelled at the deadline"));
    assertThat(spans)
        .contains("call 1: chat chat  CLIENT")
        .contains("call " + rows.size() + ": chat chat  CLIENT")
        .contains("gen_ai.operation.name=chat")
        .contains("attempt openai/gpt-4o-mini  INTERNAL")
        .contains("event aigw.fallback")
        .contains("aigw.fallback.to=anthropic/claude-3-5-haiku-latest")
        .contains("chat big-model  CLIENT").contains("ERROR call exceeded its deadline");
  }
}
