package dev.aigw.bench;

/**
 * One way of calling the canned chat-completions server, as {@link ProviderOverheadBenchmark}
 * compares them. Each method makes one HTTP call, builds its request from {@link
 * ChatCompletionsServer#PROMPT} and {@link ChatCompletionsServer#MODEL} on every call, as an
 * application would, and returns text, so that nothing is left for the JIT to remove.
 */
interface BenchClient extends AutoCloseable {
  /** What the benchmark names this client with ({@code floor}, {@code aigwProvider}, ...). */
  String name();

  /** How this client talks HTTP, for the report. */
  String transport();

  /** A blocking call; returns the answer's text. */
  String blocking();

  /**
   * A streaming call that stops at the first chunk with text: returns that text after closing or
   * cancelling the stream as this client's API offers.
   */
  String streamFirstChunk();

  /** A streaming call read to its end; returns the text of every chunk, joined. */
  String streamFull();

  @Override
  void close();
}
