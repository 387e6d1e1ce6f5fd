package dev.aigw.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheKeysTest {
  static final String PARTITION = "tenant:acme";

  static final String WEATHER_SCHEMA = """
      {"type":"object","properties":{"city":{"type":"string","maxLength":100},"days":{"type":"integer","minimum":1}},"required":["city"]}""";

  /** The same schema: other key order, whitespace, an escaped letter, numbers spelled otherwise. */
  static final String WEATHER_SCHEMA_REORDERED = """
      {
        "required" : [ "city" ],
        "properties" : {
          "days" : { "minimum" : 1.0, "type" : "integer" },
          "city" : { "maxLength" : 1e2, "type" : "str\\u0069ng" }
        },
        "type" : "object"
      }""";

  static final String ANSWER_SCHEMA = """
      {"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";

  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  static ToolCall weatherCall() {
    return new ToolCall("call_1", "weather", "{\"city\":\"Paris\",\"days\":2}");
  }

  /** A request that sets every parameter, built in one order. */
  static ChatRequest.Builder base() {
    return ChatRequest.builder()
        .model("chat")
        .system("You answer briefly.")
        .message(Message.user(ContentPart.text("What is in this picture?"), ContentPart.imageUrl("https://example.com/a.png")))
        .message(Message.user(ContentPart.text("And this one?"), ContentPart.imageBytes(PNG, "image/png")))
        .message(Message.assistant("Let me check the weather.", List.of(weatherCall())))
        .message(Message.tool("call_1", "{\"temp\":21}"))
        .user("Thanks. Summarise.")
        .tool(ToolSpec.of("weather", "Gets the weather", WEATHER_SCHEMA))
        .tool(ToolSpec.of("time", "Gets the time"))
        .toolChoice(ToolChoice.auto())
        .responseFormat(ResponseFormat.jsonSchema("answer", ANSWER_SCHEMA, true))
        .temperature(0.2)
        .topP(0.9)
        .maxOutputTokens(100)
        .stop("END", "STOP")
        .seed(7)
        .extra(Map.of("logprobs", true, "metadata", Map.of("a", 1, "b", List.of("x", 2.5))));
  }

  static CacheKey key(ChatRequest request) {
    return CacheKeys.of(PARTITION, request);
  }

  static final CacheKey BASE = key(base().build());

  // ---------------------------------------------------------------- same key

  @Test
  void sameRequestBuiltInAnotherOrderHasTheSameKey() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("b", List.of("x", 2.5));
    metadata.put("a", 1);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("metadata", metadata);
    extra.put("logprobs", true);
    ChatRequest other = ChatRequest.builder()
        .extra(extra)
        .seed(7)
        .stop(List.of("END", "STOP"))
        .maxOutputTokens(100)
        .topP(0.9)
        .temperature(0.2)
        .responseFormat(ResponseFormat.jsonSchema("answer", ANSWER_SCHEMA, true))
        .toolChoice(ToolChoice.auto())
        .tools(List.of(ToolSpec.of("weather", "Gets the weather", WEATHER_SCHEMA_REORDERED), ToolSpec.of("time", "Gets the time")))
        .messages(base().build().messages())
        .model("chat")
        .build();
    assertThat(key(other)).isEqualTo(BASE);
  }

  @Test
  void copiesAndRebuiltRequestsHaveTheSameKey() {
    ChatRequest request = base().build();
    assertThat(key(request.toBuilder().build())).isEqualTo(BASE);
    assertThat(key(request.withModel("other").withModel("chat"))).isEqualTo(BASE);
    assertThat(key(base().build())).isEqualTo(BASE);
    // An inline image is keyed by its content, not by the array's identity.
    assertThat(CacheKeys.of(PARTITION, ChatRequest.builder().model("m").message(Message.user(ContentPart.imageBytes(PNG.clone(), "image/png"))).build()))
        .isEqualTo(CacheKeys.of(PARTITION, ChatRequest.builder().model("m").message(Message.user(ContentPart.imageBytes(PNG.clone(), "image/png"))).build()));
  }

  @Test
  void schemasAreComparedAsJson() {
    UnaryOperator<String> withSchema = schema -> key(base().tools(List.of(ToolSpec.of("weather", "Gets the weather", schema), ToolSpec.of("time", "Gets the time"))).build()).hash();
    assertThat(withSchema.apply(WEATHER_SCHEMA_REORDERED)).isEqualTo(BASE.hash());
    String tabsAndNewlines = WEATHER_SCHEMA.replace(",", ",\n\t").replace(":", " : ");
    assertThat(withSchema.apply(tabsAndNewlines)).isEqualTo(BASE.hash());

    String reorderedAnswer = "{ \"additionalProperties\": false, \"required\": [\"answer\"], \"properties\": {\"answer\": {\"type\": \"string\"}}, \"type\": \"object\" }";
    assertThat(key(base().responseFormat(ResponseFormat.jsonSchema("answer", reorderedAnswer, true)).build())).isEqualTo(BASE);
  }

  @Test
  void numbersInJsonAreComparedByValue() {
    String a = "{\"type\":\"number\",\"minimum\":0,\"maximum\":100,\"multipleOf\":0.5}";
    String b = "{\"multipleOf\":5e-1,\"maximum\":1.00E2,\"minimum\":-0.0,\"type\":\"number\"}";
    assertThat(keyWithTool(a)).isEqualTo(keyWithTool(b));
    assertThat(keyWithTool(a)).isNotEqualTo(keyWithTool(a.replace("0.5", "0.25")));
    // A number is not the string that spells it.
    assertThat(keyWithTool("{\"default\":1}")).isNotEqualTo(keyWithTool("{\"default\":\"1\"}"));
    // Array order matters.
    assertThat(keyWithTool("{\"enum\":[1,2]}")).isNotEqualTo(keyWithTool("{\"enum\":[2,1]}"));
  }

  static CacheKey keyWithTool(String schema) {
    return key(ChatRequest.builder().model("m").user("hi").tool(ToolSpec.of("t", "d", schema)).build());
  }

  @Test
  void toolCallArgumentsAreComparedAsJsonWhenTheyParse() {
    UnaryOperator<String> withArguments = args -> key(ChatRequest.builder().model("m").user("hi")
        .message(Message.assistantToolCalls(List.of(new ToolCall("c1", "weather", args))))
        .message(Message.tool("c1", "ok")).build()).hash();
    assertThat(withArguments.apply("{\"city\":\"Paris\",\"days\":2}")).isEqualTo(withArguments.apply("{ \"days\": 2.0, \"city\": \"Paris\" }"));
    // Invalid JSON is hashed as it is: it neither equals valid JSON nor a reformatted copy of itself.
    assertThat(withArguments.apply("{\"city\":\"Paris\"")).isNotEqualTo(withArguments.apply("{\"city\":\"Paris\"}"));
    assertThat(withArguments.apply("{\"city\":\"Paris\"")).isNotEqualTo(withArguments.apply("{ \"city\":\"Paris\""));
    assertThat(withArguments.apply("{\"a\":1} trailing")).isNotEqualTo(withArguments.apply("{\"a\":1}"));
    assertThat(withArguments.apply("")).isNotEqualTo(withArguments.apply("{}"));
    // A raw text never collides with a parsed value that prints the same.
    assertThat(withArguments.apply("\"x\"")).isNotEqualTo(withArguments.apply("x"));
  }

  @Test
  void extraIsSortedRecursivelyAndComparedByValue() {
    Map<String, Object> inner1 = new LinkedHashMap<>();
    inner1.put("z", 1);
    inner1.put("a", List.of(Map.of("q", 1L, "p", 2.0)));
    Map<String, Object> extra1 = new LinkedHashMap<>();
    extra1.put("k2", inner1);
    extra1.put("k1", "v");

    Map<String, Object> inner2 = new LinkedHashMap<>();
    inner2.put("a", List.of(new LinkedHashMap<>(Map.of("p", 2, "q", 1.0))));
    inner2.put("z", 1.0f);
    Map<String, Object> extra2 = new HashMap<>();
    extra2.put("k1", "v");
    extra2.put("k2", inner2);

    ChatRequest r1 = ChatRequest.builder().model("m").user("hi").extra(extra1).build();
    ChatRequest r2 = ChatRequest.builder().model("m").user("hi").extra(extra2).build();
    assertThat(key(r1)).isEqualTo(key(r2));
    assertThat(key(ChatRequest.builder().model("m").user("hi").extra(Map.of("n", new java.math.BigDecimal("10.00"))).build()))
        .isEqualTo(key(ChatRequest.builder().model("m").user("hi").extra(Map.of("n", 10)).build()))
        .isEqualTo(key(ChatRequest.builder().model("m").user("hi").extra(Map.of("n", java.math.BigInteger.TEN)).build()))
        .isEqualTo(key(ChatRequest.builder().model("m").user("hi").extra(Map.of("n", 1e1)).build()));
  }

  // ---------------------------------------------------------------- different keys

  static Stream<Arguments> changes() {
    List<Message> messages = base().build().messages();
    return Stream.of(
        change("model", b -> b.model("chat-2")),
        change("system text", b -> b.messages(replace(messages, 0, Message.system("You answer at length.")))),
        change("text of a multi-part message", b -> b.messages(replace(messages, 1, Message.user(ContentPart.text("What is in this photo?"), ContentPart.imageUrl("https://example.com/a.png"))))),
        change("last user text", b -> b.messages(replace(messages, 5, Message.user("Thanks. Summarise!")))),
        change("role (system instead of user)", b -> b.messages(replace(messages, 5, Message.system("Thanks. Summarise.")))),
        change("role (assistant instead of user)", b -> b.messages(replace(messages, 5, Message.assistant("Thanks. Summarise.")))),
        change("image url", b -> b.messages(replace(messages, 1, Message.user(ContentPart.text("What is in this picture?"), ContentPart.imageUrl("https://example.com/b.png"))))),
        change("image bytes", b -> b.messages(replace(messages, 2, Message.user(ContentPart.text("And this one?"), ContentPart.imageBytes(new byte[] {1, 2, 3}, "image/png"))))),
        change("image media type", b -> b.messages(replace(messages, 2, Message.user(ContentPart.text("And this one?"), ContentPart.imageBytes(PNG, "image/jpeg"))))),
        change("part order", b -> b.messages(replace(messages, 1, Message.user(ContentPart.imageUrl("https://example.com/a.png"), ContentPart.text("What is in this picture?"))))),
        change("assistant text beside a tool call", b -> b.messages(replace(messages, 3, Message.assistant("Checking.", List.of(weatherCall()))))),
        change("tool call id", b -> b.messages(replace(messages, 3, Message.assistant("Let me check the weather.", List.of(new ToolCall("call_2", "weather", "{\"city\":\"Paris\",\"days\":2}")))))),
        change("tool call name", b -> b.messages(replace(messages, 3, Message.assistant("Let me check the weather.", List.of(new ToolCall("call_1", "forecast", "{\"city\":\"Paris\",\"days\":2}")))))),
        change("tool call arguments", b -> b.messages(replace(messages, 3, Message.assistant("Let me check the weather.", List.of(new ToolCall("call_1", "weather", "{\"city\":\"Lyon\",\"days\":2}")))))),
        change("tool result id", b -> b.messages(replace(messages, 4, Message.tool("call_9", "{\"temp\":21}")))),
        change("tool result", b -> b.messages(replace(messages, 4, Message.tool("call_1", "{\"temp\":22}")))),
        change("a message more", b -> b.user("One more.")),
        change("a message less", b -> b.messages(messages.subList(0, 5))),
        change("message order", b -> b.messages(swap(messages, 0, 5))),
        change("one message split in two", b -> b.messages(concat(messages.subList(0, 5), Message.user("Thanks. "), Message.user("Summarise.")))),
        change("tool name", b -> b.tools(List.of(ToolSpec.of("weather2", "Gets the weather", WEATHER_SCHEMA), ToolSpec.of("time", "Gets the time"))).toolChoice(ToolChoice.auto())),
        change("tool description", b -> b.tools(List.of(ToolSpec.of("weather", "Gets the forecast", WEATHER_SCHEMA), ToolSpec.of("time", "Gets the time")))),
        change("tool schema", b -> b.tools(List.of(ToolSpec.of("weather", "Gets the weather", WEATHER_SCHEMA.replace("\"minimum\":1", "\"minimum\":0")), ToolSpec.of("time", "Gets the time")))),
        change("tool order", b -> b.tools(List.of(ToolSpec.of("time", "Gets the time"), ToolSpec.of("weather", "Gets the weather", WEATHER_SCHEMA)))),
        change("a tool less", b -> b.tools(List.of(ToolSpec.of("weather", "Gets the weather", WEATHER_SCHEMA)))),
        change("tool choice absent", b -> b.build().toBuilder()),
        change("tool choice none", b -> b.toolChoice(ToolChoice.none())),
        change("tool choice required", b -> b.toolChoice(ToolChoice.required())),
        change("tool choice weather", b -> b.toolChoice(ToolChoice.tool("weather"))),
        change("tool choice time", b -> b.toolChoice(ToolChoice.tool("time"))),
        change("response format text", b -> b.responseFormat(ResponseFormat.text())),
        change("response format json object", b -> b.responseFormat(ResponseFormat.jsonObject())),
        change("response format name", b -> b.responseFormat(ResponseFormat.jsonSchema("answer2", ANSWER_SCHEMA, true))),
        change("response format schema", b -> b.responseFormat(ResponseFormat.jsonSchema("answer", ANSWER_SCHEMA.replace("false", "true"), true))),
        change("response format not strict", b -> b.responseFormat(ResponseFormat.jsonSchema("answer", ANSWER_SCHEMA, false))),
        change("temperature 0", b -> b.temperature(0.0)),
        change("temperature 1", b -> b.temperature(1.0)),
        change("top-p 1", b -> b.topP(1.0)),
        change("max output tokens", b -> b.maxOutputTokens(101)),
        change("stop other", b -> b.stop("END", "HALT")),
        change("stop order", b -> b.stop("STOP", "END")),
        change("stop one joined", b -> b.stop("ENDSTOP")),
        change("stop one less", b -> b.stop("END")),
        change("no stop", b -> b.stop(List.of())),
        change("seed", b -> b.seed(8)),
        change("seed negative", b -> b.seed(-7)),
        change("extra value", b -> b.extra(Map.of("logprobs", false, "metadata", Map.of("a", 1, "b", List.of("x", 2.5))))),
        change("extra nested value", b -> b.extra(Map.of("logprobs", true, "metadata", Map.of("a", 2, "b", List.of("x", 2.5))))),
        change("extra number as string", b -> b.extra(Map.of("logprobs", true, "metadata", Map.of("a", "1", "b", List.of("x", 2.5))))),
        change("extra list order", b -> b.extra(Map.of("logprobs", true, "metadata", Map.of("a", 1, "b", List.of(2.5, "x"))))),
        change("extra key", b -> b.extra(Map.of("logprobs", true, "meta", Map.of("a", 1, "b", List.of("x", 2.5))))),
        change("extra empty", b -> b.extra(Map.of())));
  }

  static Arguments change(String name, UnaryOperator<ChatRequest.Builder> change) {
    return Arguments.of(name, change);
  }

  static List<Message> replace(List<Message> messages, int index, Message message) {
    List<Message> copy = new ArrayList<>(messages);
    copy.set(index, message);
    return copy;
  }

  static List<Message> swap(List<Message> messages, int i, int j) {
    List<Message> copy = new ArrayList<>(messages);
    java.util.Collections.swap(copy, i, j);
    return copy;
  }

  static List<Message> concat(List<Message> messages, Message... more) {
    List<Message> copy = new ArrayList<>(messages);
    copy.addAll(List.of(more));
    return copy;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void eachOutputChangingParameterChangesTheKey(String name, UnaryOperator<ChatRequest.Builder> change) {
    ChatRequest changed = change.apply(base()).build();
    if (name.equals("tool choice absent")) {
      changed = rebuildWithoutToolChoice(changed);
    }
    assertThat(changed).isNotEqualTo(base().build());
    assertThat(key(changed)).as(name).isNotEqualTo(BASE);
  }

  /** There is no setter that clears the tool choice: rebuild the request without it. */
  static ChatRequest rebuildWithoutToolChoice(ChatRequest r) {
    ChatRequest.Builder b = ChatRequest.builder().model(r.model()).messages(r.messages()).tools(r.tools())
        .responseFormat(r.responseFormat()).stop(r.stop()).extra(r.extra());
    r.temperature().ifPresent(b::temperature);
    r.topP().ifPresent(b::topP);
    r.maxOutputTokens().ifPresent(b::maxOutputTokens);
    r.seed().ifPresent(b::seed);
    return b.build();
  }

  @Test
  void allChangesGiveDistinctKeys() {
    List<String> hashes = changes()
        .map(a -> {
          @SuppressWarnings("unchecked")
          UnaryOperator<ChatRequest.Builder> change = (UnaryOperator<ChatRequest.Builder>) a.get()[1];
          ChatRequest changed = change.apply(base()).build();
          if (a.get()[0].equals("tool choice absent")) {
            changed = rebuildWithoutToolChoice(changed);
          }
          return key(changed).hash();
        })
        .collect(Collectors.toList());
    hashes.add(BASE.hash());
    assertThat(Set.copyOf(hashes)).hasSameSizeAs(hashes);
  }

  @Test
  void partitionChangesTheKey() {
    ChatRequest request = base().build();
    CacheKey acme = CacheKeys.of("tenant:acme", request);
    CacheKey other = CacheKeys.of("tenant:other", request);
    CacheKey global = CacheKeys.of("global", request);
    assertThat(Set.of(acme.hash(), other.hash(), global.hash())).hasSize(3);
    assertThat(acme.partition()).isEqualTo("tenant:acme");
    assertThat(global.partition()).isEqualTo("global");
  }

  @Test
  void absentParametersDifferFromEveryValue() {
    ChatRequest plain = ChatRequest.of("m", "hi");
    Set<String> hashes = Stream.of(
            plain,
            plain.toBuilder().temperature(0.0).build(),
            plain.toBuilder().temperature(1.0).build(),
            plain.toBuilder().temperature(2.0).build(),
            plain.toBuilder().topP(0.0).build(),
            plain.toBuilder().topP(1.0).build(),
            plain.toBuilder().maxOutputTokens(1).build(),
            plain.toBuilder().seed(0).build(),
            plain.toBuilder().toolChoice(ToolChoice.auto()).build(),
            plain.toBuilder().toolChoice(ToolChoice.none()).build(),
            plain.toBuilder().responseFormat(ResponseFormat.jsonObject()).build(),
            plain.toBuilder().extra(Map.of("seed", 0)).build(),
            plain.toBuilder().extra(Map.of("temperature", 0.0)).build())
        .map(r -> key(r).hash())
        .collect(Collectors.toSet());
    assertThat(hashes).hasSize(13);
  }

  @Test
  void adjacentStringsCannotBeShiftedIntoOneAnother() {
    // Length prefixes: moving characters between neighbouring fields always changes the key.
    assertThat(key(ChatRequest.builder().model("ab").user("c").build()))
        .isNotEqualTo(key(ChatRequest.builder().model("a").user("bc").build()));
    assertThat(key(ChatRequest.of("m", "x").toBuilder().stop("a", "b").build()))
        .isNotEqualTo(key(ChatRequest.of("m", "x").toBuilder().stop("a\u0000", "b").build()))
        .isNotEqualTo(key(ChatRequest.of("m", "x").toBuilder().stop("ab").build()));
    assertThat(CacheKeys.of("p", ChatRequest.of("ab", "x"))).isNotEqualTo(CacheKeys.of("pa", ChatRequest.of("b", "x")));
    assertThat(key(ChatRequest.builder().model("m").message(Message.user(ContentPart.text("ab"), ContentPart.text("c"))).build()))
        .isNotEqualTo(key(ChatRequest.builder().model("m").message(Message.user(ContentPart.text("a"), ContentPart.text("bc"))).build()))
        .isNotEqualTo(key(ChatRequest.builder().model("m").message(Message.user("abc")).build()));
  }

  @Test
  void everyStringIsEncodedExactlyIncludingMalformedUtf16() {
    Set<String> texts = Set.of("a\uD800", "a?", "a\uFFFD", "a\uDC00", "\uD83D\uDE00", "\uDE00\uD83D", "\uD83D", "é", "e\u0301", "");
    Set<String> hashes = texts.stream().map(t -> key(ChatRequest.of("m", t)).hash()).collect(Collectors.toSet());
    assertThat(hashes).hasSameSizeAs(texts);
  }

  @Test
  void largeRequestsAreHashedWholly() {
    String big = "x".repeat(1 << 20) + "é€😀".repeat(1000);
    String bigChanged = big.substring(0, big.length() - 1) + "!";
    CacheKey a = key(ChatRequest.of("m", big));
    assertThat(key(ChatRequest.of("m", new String(big.toCharArray())))).isEqualTo(a);
    assertThat(key(ChatRequest.of("m", bigChanged))).isNotEqualTo(a);
    String middleChanged = big.substring(0, 5000) + "y" + big.substring(5001);
    assertThat(key(ChatRequest.of("m", middleChanged))).isNotEqualTo(a);
  }

  @Test
  void hashIsSixtyFourLowerCaseHexCharactersAndHoldsNoRequestText() {
    CacheKey k = CacheKeys.of(PARTITION, ChatRequest.of("chat", "my secret question"));
    assertThat(k.hash()).matches("[0-9a-f]{64}");
    assertThat(k.partition()).isEqualTo(PARTITION);
    assertThat(k.toString()).isEqualTo("CacheKey[partition=tenant:acme, hash=" + k.hash().substring(0, 16) + "...]");
    assertThat(k.toString()).doesNotContain("secret").doesNotContain(k.hash());
  }

  /**
   * Pins the v1 encoding: if this fails, the encoding changed, and {@link CacheKeys#FORMAT_VERSION}
   * must change with it (entries in shared stores such as Redis would otherwise be misread).
   */
  @Test
  void encodingIsStable() {
    assertThat(CacheKeys.of("global", ChatRequest.of("openai/gpt-4o-mini", "Hello")).hash())
        .isEqualTo(GOLDEN_SIMPLE);
    assertThat(BASE.hash()).isEqualTo(GOLDEN_BASE);
  }

  /**
   * Long ASCII strings take the encoder's bulk path, others the char-by-char one; both must write
   * the documented bytes. The expected hashes come from the same Python re-implementation as
   * {@link #GOLDEN_SIMPLE}, with the texts below instead of "Hello".
   */
  @Test
  void longTextEncodesTheSameOnTheBulkAndTheCharByCharPaths() {
    String mixed = "Café 中文 naïve résumé — ".repeat(4) + "end";
    String ascii = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    assertThat(CacheKeys.of("global", ChatRequest.of("openai/gpt-4o-mini", mixed)).hash())
        .isEqualTo("6072d79457eaad164440d6c670c5d3f4184234f890455bc4577ca85436a28692");
    assertThat(CacheKeys.of("global", ChatRequest.of("openai/gpt-4o-mini", ascii)).hash())
        .isEqualTo("a0cdc421e67746780dfe174a9e106a05f0fc0433817a0279900221e1bf754661");
  }

  /**
   * Checked against an independent re-implementation of the encoding documented in {@code
   * KeyEncoder} (Python: SHA-256 of {@code S"aigw-cache-v1" f1 S"global" f2 S"openai/gpt-4o-mini"
   * f3 I1 S"USER" I1 I't' S"Hello" I0 N f4 I0 f5 N f6 S"TEXT" N N F f7 N f8 N f9 N f10 I0 f11 N
   * f12 o I0 f127}, where {@code S} is 'S', a big-endian int32 char count and UTF-8, {@code I} is
   * 'I' and a big-endian int32, {@code fN} is 'f' and the byte N).
   */
  static final String GOLDEN_SIMPLE = "aaad92eeaaaf2ba63bf7853cf1c471077d46cbaa8cc8419e4ece384292bdc365";
  /**
   * {@link #base()} in {@link #PARTITION}, also checked against that re-implementation (schemas
   * enter as {@code I'h'} and the SHA-256 of their canonical encoding, inline images as the
   * SHA-256 of their bytes).
   */
  static final String GOLDEN_BASE = "839e065997efcaf7a473f1c76d433fb603bc535f2b4e7f702fb9bcf63a45ed12";

  @Test
  void keysAreTheSameOnEveryThread() throws Exception {
    ChatRequest request = base().build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<CacheKey>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ChatRequest r = i % 2 == 0 ? request : ChatRequest.of("m", "text " + (i % 7));
        futures.add(pool.submit(() -> CacheKeys.of(PARTITION, r)));
      }
      for (int i = 0; i < futures.size(); i++) {
        CacheKey expected = i % 2 == 0 ? BASE : key(ChatRequest.of("m", "text " + (i % 7)));
        assertThat(futures.get(i).get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void rejectsBadArguments() {
    ChatRequest request = ChatRequest.of("m", "hi");
    assertThatThrownBy(() -> CacheKeys.of(null, request)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CacheKeys.of(" ", request)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CacheKeys.of("p", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void cacheKeyValidatesItsFields() {
    String hash = "0123456789abcdef".repeat(4);
    assertThat(new CacheKey("p", hash).hash()).isEqualTo(hash);
    assertThat(new CacheKey("p", hash)).isEqualTo(new CacheKey("p", hash)).isNotEqualTo(new CacheKey("q", hash));
    assertThatThrownBy(() -> new CacheKey("p", hash.toUpperCase(java.util.Locale.ROOT))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheKey("p", hash.substring(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheKey("p", hash + "0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheKey("p", hash.replace('a', 'g'))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheKey("", hash)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheKey(null, hash)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new CacheKey("p", null)).isInstanceOf(NullPointerException.class);
  }
}
