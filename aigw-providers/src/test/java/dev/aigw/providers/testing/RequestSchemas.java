package dev.aigw.providers.testing;

import static org.assertj.core.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Checks provider request bodies against the providers' published request schemas, as extracted
 * by {@link SpecSchemaExtractor} into {@code src/test/resources/specs/} (JSON Schema 2020-12,
 * validated with networknt json-schema-validator 3.x).
 *
 * <pre>{@code
 * RecordedRequest recorded = server.takeRequest();
 * RequestSchemas.assertValidOpenAiChatRequest(recorded.getBody().utf8());
 * }</pre>
 *
 * <p>A failure is an {@link AssertionError} listing every validation message with the instance
 * location it concerns (a JSON pointer, for example {@code /temperature: string found, number expected}).
 * Schemas are loaded once per JVM and shared; the class is thread-safe.
 *
 * <p>What the schemas do not catch: no schema inside OpenAI's chat request or Gemini's requests
 * says {@code additionalProperties: false}, so unknown or misspelt fields (a snake_case Gemini
 * field, say) pass there at any depth; check such names in the provider's own tests. OpenAI's
 * embedding request and Anthropic's message request (41 of its 47 schemas) reject unknown fields,
 * so passing extra fields through to them fails validation. Anthropic's spec is Stainless
 * version 195: request fields newer than it are unknown to it.
 */
public final class RequestSchemas {
  /** OpenAI {@code POST /chat/completions}: {@code CreateChatCompletionRequest}. */
  public static final String OPENAI_CHAT = "openai-create-chat-completion-request";
  /** OpenAI {@code POST /embeddings}: {@code CreateEmbeddingRequest}. */
  public static final String OPENAI_EMBEDDING = "openai-create-embedding-request";
  /** Anthropic {@code POST /v1/messages}: {@code CreateMessageParams}. */
  public static final String ANTHROPIC_MESSAGE = "anthropic-create-message-request";
  /** Gemini {@code POST /v1beta/models/{model}:generateContent} (and {@code :streamGenerateContent}): {@code GenerateContentRequest}. */
  public static final String GEMINI_GENERATE_CONTENT = "gemini-generate-content-request";
  /** Gemini {@code POST /v1beta/models/{model}:batchEmbedContents}: {@code BatchEmbedContentsRequest}. */
  public static final String GEMINI_BATCH_EMBED = "gemini-batch-embed-contents-request";

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final ConcurrentMap<String, Schema> CACHE = new ConcurrentHashMap<>();
  private static final int BODY_PREVIEW = 2000;

  private RequestSchemas() {}

  /** Asserts that {@code json} is a valid OpenAI chat completion request. */
  public static void assertValidOpenAiChatRequest(String json) {
    assertValid(OPENAI_CHAT, json);
  }

  /** Asserts that {@code json} is a valid OpenAI embedding request. */
  public static void assertValidOpenAiEmbeddingRequest(String json) {
    assertValid(OPENAI_EMBEDDING, json);
  }

  /** Asserts that {@code json} is a valid Anthropic create-message request. */
  public static void assertValidAnthropicMessageRequest(String json) {
    assertValid(ANTHROPIC_MESSAGE, json);
  }

  /** Asserts that {@code json} is a valid Gemini generateContent / streamGenerateContent request. */
  public static void assertValidGeminiGenerateContentRequest(String json) {
    assertValid(GEMINI_GENERATE_CONTENT, json);
  }

  /** Asserts that {@code json} is a valid Gemini batchEmbedContents request. */
  public static void assertValidGeminiBatchEmbedRequest(String json) {
    assertValid(GEMINI_BATCH_EMBED, json);
  }

  /**
   * Asserts that {@code json} validates against the schema {@code name} (one of the constants).
   *
   * @throws AssertionError listing every validation message, or saying the body is not JSON
   */
  public static void assertValid(String name, String json) {
    List<String> messages = violations(name, json);
    if (!messages.isEmpty()) {
      fail("request body does not match the %s schema (%d message%s):%n  %s%nbody: %s", name, messages.size(),
          messages.size() == 1 ? "" : "s", String.join(System.lineSeparator() + "  ", messages), preview(json));
    }
  }

  /**
   * The validation messages for {@code json} against the schema {@code name}, each as {@code
   * <instance location>: <message>}; empty when it is valid.
   *
   * @throws AssertionError when {@code json} is not JSON
   */
  public static List<String> violations(String name, String json) {
    List<Error> errors;
    try {
      errors = schema(name).validate(json, InputFormat.JSON);
    } catch (RuntimeException e) {
      throw new AssertionError("request body is not JSON (" + e + "): " + preview(json), e);
    }
    return errors.stream().map(RequestSchemas::describe).toList();
  }

  /** {@code <instance pointer>: <message> (schema <keyword pointer>)}; the root is {@code /}. */
  private static String describe(Error error) {
    String at = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
    String schemaAt = error.getSchemaLocation() == null || error.getSchemaLocation().getFragment() == null
        ? "" : " (schema #" + error.getSchemaLocation().getFragment() + ")";
    return (at.isEmpty() ? "/" : at) + ": " + error.getMessage() + schemaAt;
  }

  /** The schema {@code name}, loaded from the classpath once. */
  static Schema schema(String name) {
    return CACHE.computeIfAbsent(name, n -> {
      Schema schema = REGISTRY.getSchema(SchemaLocation.of("classpath:specs/" + n + ".schema.json"));
      schema.initializeValidators();
      return schema;
    });
  }

  private static String preview(String json) {
    return json.length() <= BODY_PREVIEW ? json : json.substring(0, BODY_PREVIEW) + "… (" + json.length() + " chars)";
  }
}
