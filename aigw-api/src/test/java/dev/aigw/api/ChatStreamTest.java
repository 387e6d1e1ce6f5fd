package dev.aigw.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChatStreamTest {

  private static final AttributeKey<String> NOTE = AttributeKey.of("note", String.class);

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static List<String> texts(Iterable<ChatChunk> stream) {
    List<String> out = new ArrayList<>();
    for (ChatChunk c : stream) {
      out.add(c.text());
    }
    return out;
  }

  private static List<ChatChunk> drain(ChatStream stream) {
    List<ChatChunk> out = new ArrayList<>();
    try (stream) {
      stream.forEach(out::add);
    }
    return out;
  }

  @Nested
  class Iteration {
    @Test
    void iterationYieldsChunksInOrder() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a"), ChatChunk.text("b"), ChatChunk.text("c"));

      assertThat(texts(stream)).containsExactly("a", "b", "c");
    }

    @Test
    void iteratorEndsWithNoSuchElement() {
      Iterator<ChatChunk> it = ChatStream.of(ChatChunk.text("a")).iterator();

      assertThat(it.hasNext()).isTrue();
      assertThat(it.hasNext()).as("hasNext is idempotent").isTrue();
      assertThat(it.next().text()).isEqualTo("a");
      assertThat(it.hasNext()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void sourceIsClosedWhenIterationEnds() {
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"));
      ChatStream stream = ChatStream.of(source);

      assertThat(texts(stream)).containsExactly("a");
      assertThat(source.isClosed()).isTrue();
    }

    @Test
    void iteratingTwiceIsRejected() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a"));
      stream.iterator();

      assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void derivingOrCollectingAfterIteratingIsRejected() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a"));
      stream.iterator();

      assertThatThrownBy(() -> stream.map(c -> c)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> stream.observe(new StreamObserver() {})).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> stream.transform((c, d) -> d.accept(c))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> stream.withMetadata(m -> m)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(stream::toPublisher).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(stream::collect).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStreamThatWasDerivedFromCannotBeIterated() {
      ChatStream original = ChatStream.of(ChatChunk.text("a"));
      ChatStream derived = original.map(c -> c);

      assertThatThrownBy(original::iterator).isInstanceOf(IllegalStateException.class);
      assertThat(texts(derived)).containsExactly("a");
    }

    @Test
    void closeIsIdempotentAndClosesTheSource() {
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"));
      ChatStream stream = ChatStream.of(source);

      stream.close();
      stream.close();

      assertThat(source.isClosed()).isTrue();
      assertThat(source.closeCalls()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void closingFromAnotherThreadUnblocksAWaitingConsumer() throws Exception {
      RecordingSource source = RecordingSource.blockingAfter(ChatChunk.text("first"));
      ChatStream stream = ChatStream.of(source);
      Iterator<ChatChunk> it = stream.iterator();
      assertThat(it.next().text()).isEqualTo("first");

      Future<Boolean> consumer = pool.submit(it::hasNext);
      assertThat(source.awaitBlocked()).isTrue();
      assertThat(consumer.isDone()).isFalse();

      stream.close();

      assertThat(consumer.get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(source.isClosed()).isTrue();
    }

    @Test
    void sourceExceptionPropagatesFromHasNextAndClosesTheSource() {
      ProviderException failure = new ProviderException("openai", 500, true, "upstream failed");
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"), failure, ChatChunk.text("never"));
      Iterator<ChatChunk> it = ChatStream.of(source).iterator();

      assertThat(it.next().text()).isEqualTo("a");
      assertThatThrownBy(it::hasNext).isSameAs(failure);
      assertThat(source.isClosed()).isTrue();
      assertThat(it.hasNext()).as("a failed stream has ended").isFalse();
    }

    @Test
    void failedStreamThrowsItsErrorWhenRead() {
      RuntimeException error = new CallCancelledException("gone");

      assertThatThrownBy(() -> ChatStream.failed(error).collect()).isSameAs(error);
    }

    @Test
    void nullChunkInVarargsIsRejectedLikeTheListForm() {
      assertThatThrownBy(() -> ChatStream.of(ChatChunk.text("a"), null))
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("chunks[1]"));
    }
  }

  @Nested
  class Collect {
    @Test
    void collectAssemblesTextReasoningAndKeepsFirstIdAndModel() {
      ChatStream stream = ChatStream.of(
          ChatChunk.builder().id("resp-1").model("gpt-4o").reasoning("think ").build(),
          ChatChunk.builder().id("resp-2").model("other").reasoning("hard").text("Hel").build(),
          ChatChunk.text("lo"),
          ChatChunk.builder().finishReason(FinishReason.LENGTH).build());

      ChatResponse r = stream.collect();

      assertThat(r.id()).isEqualTo("resp-1");
      assertThat(r.model()).isEqualTo("gpt-4o");
      assertThat(r.text()).isEqualTo("Hello");
      assertThat(r.reasoning()).isEqualTo("think hard");
      assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(r.usage()).isEmpty();
      assertThat(r.toolCalls()).isEmpty();
    }

    @Test
    void idAndModelComeFromTheFirstChunkThatCarriesThem() {
      ChatResponse r = ChatStream.of(ChatChunk.text("x"), ChatChunk.builder().id("late").model("m").build()).collect();

      assertThat(r.id()).isEqualTo("late");
      assertThat(r.model()).isEqualTo("m");
    }

    @Test
    void collectAssemblesInterleavedToolCallFragmentsByIndex() {
      ChatStream stream = ChatStream.of(
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(0, "call_a", "get_weather", "{\"ci"))).build(),
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(1, "call_b", "get_time", "{"))).build(),
          ChatChunk.builder().toolCalls(List.of(
              ToolCallDelta.arguments(1, "\"tz\":\"CET\""), ToolCallDelta.arguments(0, "ty\":"))).build(),
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(0, "\"Paris\"}"))).build(),
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(1, "}"))).build());

      ChatResponse r = stream.collect();

      assertThat(r.toolCalls()).containsExactly(
          new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
          new ToolCall("call_b", "get_time", "{\"tz\":\"CET\"}"));
      assertThat(r.finishReason()).as("inferred from the tool calls").isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(r.message().role()).isEqualTo(Role.ASSISTANT);
    }

    @Test
    void toolCallsAreOrderedByIndexNotByArrival() {
      ChatResponse r = ChatStream.of(
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(1, "call_b", "second", "{}"))).build(),
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(0, "call_a", "first", "{}"))).build())
          .collect();

      assertThat(r.toolCalls()).extracting(ToolCall::name).containsExactly("first", "second");
    }

    @Test
    void toolCallThatNeverGetsANameFailsCollect() {
      ChatStream stream = ChatStream.of(
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(0, "{}"))).build());

      assertThatThrownBy(stream::collect).isInstanceOf(AiGatewayException.class).hasMessageContaining("name");
    }

    @Test
    void lastReportedUsageWins() {
      ChatResponse r = ChatStream.of(
          ChatChunk.builder().text("a").usage(Usage.of(1, 1)).build(),
          ChatChunk.builder().usage(Usage.of(10, 5)).build(),
          ChatChunk.text("b")).collect();

      assertThat(r.usage()).contains(Usage.of(10, 5));
    }

    @Test
    void explicitFinishReasonWinsOverInference() {
      ChatResponse r = ChatStream.of(
          ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(0, "c", "f", "{}"))).build(),
          ChatChunk.builder().finishReason(FinishReason.CONTENT_FILTER).build()).collect();

      assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    }

    @Test
    void finishReasonIsStopWhenAbsentAndNoToolWasCalled() {
      ChatResponse r = ChatStream.of(ChatChunk.text("hi")).collect();

      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void collectCarriesTheStreamsMetadataAndClosesTheSource() {
      ResponseMetadata metadata = new ResponseMetadata.Builder()
          .target(new Target("openai", "gpt-4o")).cacheStatus(CacheStatus.MISS).cost(Cost.usd("0.01")).build();
      RecordingSource source = RecordingSource.of(ChatChunk.text("hi"));

      ChatResponse r = ChatStream.of(source).withMetadata(m -> metadata).collect();

      assertThat(r.metadata()).isEqualTo(metadata);
      assertThat(source.isClosed()).isTrue();
    }

    @Test
    void collectOfAnEmptyStreamIsAnEmptyStoppedAnswer() {
      ChatResponse r = ChatStream.of(List.of()).collect();

      assertThat(r.text()).isEmpty();
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.metadata()).isEqualTo(ResponseMetadata.empty());
    }

    @Test
    void collectRethrowsTheStreamsFailureAndClosesTheSource() {
      GuardrailViolationException blocked = new GuardrailViolationException("pii", "found an IBAN");
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"), blocked);

      assertThatThrownBy(() -> ChatStream.of(source).collect()).isSameAs(blocked);
      assertThat(source.isClosed()).isTrue();
    }
  }

  @Nested
  class FromResponse {
    private ChatResponse response(boolean withUsage) {
      ResponseMetadata metadata = new ResponseMetadata.Builder()
          .target(new Target("anthropic", "claude"))
          .latency(Duration.ofMillis(250))
          .attribute(NOTE, "cached-prompt")
          .build();
      ChatResponse.Builder b = ChatResponse.builder()
          .id("resp-9")
          .model("claude")
          .message(Message.assistant("Checking.", List.of(
              new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
              new ToolCall("call_2", "get_time", "{}"))))
          .reasoning("The user wants weather.")
          .finishReason(FinishReason.TOOL_CALLS)
          .metadata(metadata);
      if (withUsage) {
        b.usage(new Usage(100, 20, 50, 0, 5));
      }
      return b.build();
    }

    @Test
    void replayedResponseCollectsToAnEqualResponse() {
      ChatResponse original = response(true);

      ChatResponse replayed = ChatStream.fromResponse(original).collect();

      assertThat(replayed.message()).isEqualTo(original.message());
      assertThat(replayed.usage()).isEqualTo(original.usage());
      assertThat(replayed.finishReason()).isEqualTo(original.finishReason());
      assertThat(replayed.metadata()).isEqualTo(original.metadata());
      assertThat(replayed).isEqualTo(original);
    }

    @Test
    void replayedResponseWithoutUsageHasNoUsage() {
      ChatResponse original = response(false);

      assertThat(ChatStream.fromResponse(original).collect()).isEqualTo(original);
    }

    @Test
    void replayedTextOnlyResponseIsEqual() {
      ChatResponse original = ChatResponse.builder().id("r").model("m").text("Hello")
          .finishReason(FinishReason.LENGTH).usage(Usage.of(3, 4)).build();

      assertThat(ChatStream.fromResponse(original).collect()).isEqualTo(original);
    }

    @Test
    void replayIsOneChunkAndStreamMetadataIsTheResponses() {
      ChatResponse original = response(true);
      ChatStream stream = ChatStream.fromResponse(original);

      assertThat(stream.metadata()).isEqualTo(original.metadata());
      List<ChatChunk> chunks = drain(stream);
      assertThat(chunks).hasSize(1);
      assertThat(chunks.get(0).text()).isEqualTo("Checking.");
    }
  }

  @Nested
  class Operators {
    @Test
    void mapRewritesEachChunk() {
      ChatStream mapped = ChatStream.of(ChatChunk.text("a"), ChatChunk.text("b"))
          .map(c -> c.toBuilder().text(c.text().toUpperCase()).build());

      assertThat(texts(mapped)).containsExactly("A", "B");
    }

    @Test
    void closingADerivedStreamClosesTheSource() {
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"));
      ChatStream derived = ChatStream.of(source).map(c -> c).transform((c, d) -> d.accept(c));

      derived.close();

      assertThat(source.isClosed()).isTrue();
    }

    @Test
    void withMetadataIsAppliedLazilyEachTimeMetadataIsRead() {
      AtomicInteger applied = new AtomicInteger();
      ChatStream stream = ChatStream.of(ChatChunk.text("a")).withMetadata(m -> m.toBuilder()
          .latency(Duration.ofMillis(applied.incrementAndGet())).build());

      assertThat(applied).as("not applied when derived").hasValue(0);
      assertThat(stream.metadata().latency()).isEqualTo(Duration.ofMillis(1));
      assertThat(stream.metadata().latency()).isEqualTo(Duration.ofMillis(2));
      assertThat(applied).hasValue(2);
    }

    @Test
    void withMetadataComposesWithEarlierUpdates() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a"))
          .withMetadata(m -> m.toBuilder().attribute(NOTE, "first").build())
          .withMetadata(m -> m.toBuilder().cost(Cost.usd("0.5")).build());

      assertThat(stream.metadata().attributes().get(NOTE)).contains("first");
      assertThat(stream.metadata().cost()).contains(Cost.usd("0.5"));
    }

    @Test
    void metadataSeesValuesKnownOnlyAfterTheStreamEnded() {
      StringBuilder seen = new StringBuilder();
      ChatStream stream = ChatStream.of(ChatChunk.text("a"), ChatChunk.text("b"))
          .observe(new StreamObserver() {
            @Override
            public void onChunk(ChatChunk chunk) {
              seen.append(chunk.text());
            }
          })
          .withMetadata(m -> m.toBuilder().attribute(NOTE, seen.toString()).build());

      assertThat(stream.metadata().attributes().get(NOTE)).contains("");
      ChatResponse r = stream.collect();
      assertThat(r.metadata().attributes().get(NOTE)).contains("ab");
    }
  }

  @Nested
  class Observe {
    final List<String> events = new ArrayList<>();

    StreamObserver recorder() {
      return new StreamObserver() {
        @Override
        public void onChunk(ChatChunk chunk) {
          events.add("chunk:" + chunk.text());
        }

        @Override
        public void onComplete() {
          events.add("complete");
        }

        @Override
        public void onError(RuntimeException error) {
          events.add("error:" + error.getMessage());
        }

        @Override
        public void onCancel() {
          events.add("cancel");
        }
      };
    }

    @Test
    void observerSeesEveryChunkThenComplete() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a"), ChatChunk.text("b")).observe(recorder());

      assertThat(texts(stream)).containsExactly("a", "b");
      stream.close();

      assertThat(events).containsExactly("chunk:a", "chunk:b", "complete");
    }

    @Test
    void observerSeesTheErrorOnce() {
      RuntimeException failure = new ProviderException("p", 503, true, "overloaded");
      ChatStream stream = ChatStream.of(RecordingSource.of(ChatChunk.text("a"), failure)).observe(recorder());

      assertThatThrownBy(() -> texts(stream)).isSameAs(failure);
      stream.close();

      assertThat(events).containsExactly("chunk:a", "error:overloaded");
    }

    @Test
    void observerSeesCancelWhenClosedEarly() {
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"), ChatChunk.text("b"));
      ChatStream stream = ChatStream.of(source).observe(recorder());
      Iterator<ChatChunk> it = stream.iterator();
      it.next();

      stream.close();
      stream.close();

      assertThat(events).containsExactly("chunk:a", "cancel");
      assertThat(source.isClosed()).isTrue();
    }

    @Test
    void observerSeesCancelWhenClosedBeforeReading() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a")).observe(recorder());

      stream.close();

      assertThat(events).containsExactly("cancel");
    }

    @Test
    void observerSeesCancelOnTheClosingThreadWhileTheConsumerIsBlocked() throws Exception {
      RecordingSource source = RecordingSource.blockingAfter(ChatChunk.text("a"));
      List<Thread> cancelThreads = new ArrayList<>();
      ChatStream stream = ChatStream.of(source).observe(new StreamObserver() {
        @Override
        public void onComplete() {
          events.add("complete");
        }

        @Override
        public void onCancel() {
          cancelThreads.add(Thread.currentThread());
          events.add("cancel");
        }
      });
      Iterator<ChatChunk> it = stream.iterator();
      it.next();
      Future<Boolean> consumer = pool.submit(it::hasNext);
      assertThat(source.awaitBlocked()).isTrue();

      stream.close();

      assertThat(consumer.get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(events).containsExactly("cancel");
      assertThat(cancelThreads).containsExactly(Thread.currentThread());
    }

    @Test
    void collectThenCloseGivesNoCancelAfterComplete() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a")).observe(recorder());

      stream.collect();
      stream.close();

      assertThat(events).containsExactly("chunk:a", "complete");
    }

    @Test
    void observerThatThrowsFailsTheStreamAndClosesTheSource() {
      RecordingSource source = RecordingSource.of(ChatChunk.text("a"), ChatChunk.text("b"));
      IllegalStateException boom = new IllegalStateException("observer failed");
      ChatStream stream = ChatStream.of(source).observe(new StreamObserver() {
        @Override
        public void onChunk(ChatChunk chunk) {
          throw boom;
        }
      });

      assertThatThrownBy(() -> texts(stream)).isSameAs(boom);
      assertThat(source.isClosed()).isTrue();
    }
  }

  @Nested
  class Transform {
    /** Holds text back until it sees a space, so words are passed on whole. */
    final class WordBuffer implements StreamTransformer {
      private final StringBuilder held = new StringBuilder();

      @Override
      public void onChunk(ChatChunk chunk, Consumer<ChatChunk> downstream) {
        held.append(chunk.text());
        int space = held.lastIndexOf(" ");
        if (space >= 0) {
          downstream.accept(ChatChunk.text(held.substring(0, space + 1)));
          held.delete(0, space + 1);
        }
      }

      @Override
      public void onComplete(Consumer<ChatChunk> downstream) {
        if (held.length() > 0) {
          downstream.accept(ChatChunk.text(held.toString()));
        }
      }
    }

    @Test
    void transformerHoldsTextBackAndReleasesItOnComplete() {
      ChatStream stream = ChatStream.of(ChatChunk.text("Hel"), ChatChunk.text("lo wo"), ChatChunk.text("rld"))
          .transform(new WordBuffer());

      assertThat(texts(stream)).containsExactly("Hello ", "world");
    }

    @Test
    void heldBackTextIsPartOfTheCollectedAnswer() {
      ChatResponse r = ChatStream.of(ChatChunk.text("never"), ChatChunk.text(" mind"), ChatChunk.text("!"))
          .transform(new WordBuffer()).collect();

      assertThat(r.text()).isEqualTo("never mind!");
    }

    @Test
    void transformerMayEmitSeveralChunksPerInput() {
      ChatStream stream = ChatStream.of(ChatChunk.text("ab"), ChatChunk.text(""), ChatChunk.text("c"))
          .transform((chunk, downstream) -> chunk.text().chars()
              .forEach(ch -> downstream.accept(ChatChunk.text(String.valueOf((char) ch)))));

      assertThat(texts(stream)).containsExactly("a", "b", "c");
    }

    @Test
    void transformerThatThrowsFailsTheStreamAndClosesUpstream() {
      GuardrailViolationException blocked = new GuardrailViolationException("pii", "found an email address");
      RecordingSource source = RecordingSource.of(
          ChatChunk.text("ok"), ChatChunk.text("bad"), ChatChunk.text("later"), ChatChunk.text("later"));
      ChatStream stream = ChatStream.of(source).transform((chunk, downstream) -> {
        if (chunk.text().equals("bad")) {
          throw blocked;
        }
        downstream.accept(chunk);
      });
      Iterator<ChatChunk> it = stream.iterator();

      assertThat(it.next().text()).isEqualTo("ok");
      assertThatThrownBy(it::hasNext).isSameAs(blocked);
      assertThat(source.isClosed()).isTrue();
      assertThat(source.nextCalls()).as("upstream not read past the failure").isEqualTo(2);
      assertThat(it.hasNext()).isFalse();
    }

    @Test
    void transformerPassingNullFailsTheStream() {
      ChatStream stream = ChatStream.of(ChatChunk.text("a")).transform((chunk, downstream) -> downstream.accept(null));

      assertThatThrownBy(() -> texts(stream)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void closingWhileTheConsumerWaitsDoesNotCompleteTheTransformer() throws Exception {
      // StreamTransformer.onComplete means "the upstream ended normally"; observe() reports the same
      // situation as onCancel, so transform() must not treat a close as a normal end.
      RecordingSource source = RecordingSource.blockingAfter(ChatChunk.text("held back"));
      AtomicBoolean completed = new AtomicBoolean();
      StringBuilder held = new StringBuilder();
      ChatStream stream = ChatStream.of(source).transform(new StreamTransformer() {
        @Override
        public void onChunk(ChatChunk chunk, Consumer<ChatChunk> downstream) {
          held.append(chunk.text());
        }

        @Override
        public void onComplete(Consumer<ChatChunk> downstream) {
          completed.set(true);
          downstream.accept(ChatChunk.text(held.toString()));
        }
      });
      Iterator<ChatChunk> it = stream.iterator();
      Future<Boolean> consumer = pool.submit(it::hasNext);
      assertThat(source.awaitBlocked()).isTrue();

      stream.close();

      assertThat(consumer.get(10, TimeUnit.SECONDS)).as("no chunk after close").isFalse();
      assertThat(completed).as("onComplete after close").isFalse();
    }

    @Test
    void transformersChainInOrder() {
      Function<String, StreamTransformer> suffix = s -> (chunk, downstream) ->
          downstream.accept(ChatChunk.text(chunk.text() + s));
      ChatStream stream = ChatStream.of(ChatChunk.text("x")).transform(suffix.apply("1")).transform(suffix.apply("2"));

      assertThat(texts(stream)).containsExactly("x12");
    }
  }
}
