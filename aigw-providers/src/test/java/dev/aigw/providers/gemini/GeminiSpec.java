package dev.aigw.providers.gemini;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The request-side schemas of the Gemini v1beta API, as its OpenAPI description states them
 * ({@code generativelanguage.googleapis.com/$discovery/OPENAPI3_0?version=v1beta}, the copy in
 * shared/data/gemini-openapi.json): for each schema, its property names and their kinds. Only the
 * schemas a request aigw sends can reach are listed.
 *
 * <p>{@link #check} walks a request body and fails on any property the spec does not have or a
 * value of the wrong JSON type, so a typo in a wire record's field name cannot pass the tests.
 * Kinds: {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code any} (free-form,
 * not descended into), a schema name, or {@code [kind]} for arrays.
 */
final class GeminiSpec {
  private GeminiSpec() {}

  private static final Map<String, Map<String, String>> SCHEMAS = Map.ofEntries(
      Map.entry("GenerateContentRequest", Map.of(
          "model", "string", "systemInstruction", "Content", "contents", "[Content]", "tools", "[Tool]",
          "toolConfig", "ToolConfig", "safetySettings", "[SafetySetting]", "generationConfig", "GenerationConfig",
          "cachedContent", "string")),
      Map.entry("Content", Map.of("parts", "[Part]", "role", "string")),
      Map.entry("Part", Map.ofEntries(
          Map.entry("text", "string"), Map.entry("inlineData", "Blob"), Map.entry("functionCall", "FunctionCall"),
          Map.entry("functionResponse", "FunctionResponse"), Map.entry("fileData", "FileData"),
          Map.entry("executableCode", "any"), Map.entry("codeExecutionResult", "any"), Map.entry("videoMetadata", "any"),
          Map.entry("thought", "boolean"), Map.entry("thoughtSignature", "string"), Map.entry("partMetadata", "any"),
          Map.entry("mediaResolution", "any"))),
      Map.entry("Blob", Map.of("mimeType", "string", "data", "string")),
      Map.entry("FileData", Map.of("mimeType", "string", "fileUri", "string")),
      Map.entry("FunctionCall", Map.of("id", "string", "name", "string", "args", "any")),
      Map.entry("FunctionResponse", Map.of(
          "id", "string", "name", "string", "response", "any", "parts", "any", "willContinue", "boolean",
          "scheduling", "string")),
      Map.entry("Tool", Map.of(
          "functionDeclarations", "[FunctionDeclaration]", "googleSearchRetrieval", "any", "codeExecution", "any",
          "googleSearch", "any", "computerUse", "any", "urlContext", "any", "fileSearch", "any", "mcpServers", "any",
          "googleMaps", "any")),
      Map.entry("FunctionDeclaration", Map.of(
          "name", "string", "description", "string", "parameters", "any", "parametersJsonSchema", "any",
          "response", "any", "responseJsonSchema", "any", "behavior", "string")),
      Map.entry("ToolConfig", Map.of("functionCallingConfig", "FunctionCallingConfig", "retrievalConfig", "any")),
      Map.entry("FunctionCallingConfig", Map.of("mode", "string", "allowedFunctionNames", "[string]")),
      Map.entry("SafetySetting", Map.of("category", "string", "threshold", "string")),
      Map.entry("GenerationConfig", Map.ofEntries(
          Map.entry("candidateCount", "integer"), Map.entry("stopSequences", "[string]"),
          Map.entry("maxOutputTokens", "integer"), Map.entry("temperature", "number"), Map.entry("topP", "number"),
          Map.entry("topK", "integer"), Map.entry("seed", "integer"), Map.entry("responseMimeType", "string"),
          Map.entry("responseSchema", "any"), Map.entry("_responseJsonSchema", "any"),
          Map.entry("responseJsonSchema", "any"), Map.entry("presencePenalty", "number"),
          Map.entry("frequencyPenalty", "number"), Map.entry("responseLogprobs", "boolean"),
          Map.entry("logprobs", "integer"), Map.entry("enableEnhancedCivicAnswers", "boolean"),
          Map.entry("responseModalities", "[string]"), Map.entry("speechConfig", "any"),
          Map.entry("thinkingConfig", "ThinkingConfig"), Map.entry("imageConfig", "any"),
          Map.entry("mediaResolution", "string"))),
      Map.entry("ThinkingConfig", Map.of("includeThoughts", "boolean", "thinkingBudget", "integer", "thinkingLevel", "string")),
      Map.entry("BatchEmbedContentsRequest", Map.of("requests", "[EmbedContentRequest]")),
      Map.entry("EmbedContentRequest", Map.of(
          "model", "string", "content", "Content", "taskType", "string", "title", "string",
          "outputDimensionality", "integer")));

  /** Fails when {@code body} has a property or a value type that schema {@code schema} does not. */
  static void check(JsonNode body, String schema) {
    checkValue(body, schema, "$");
  }

  private static void checkValue(JsonNode value, String kind, String path) {
    if (kind.equals("any")) {
      return;
    }
    if (kind.startsWith("[")) {
      if (!value.isArray()) {
        fail(path + " must be an array per the Gemini spec, was " + value.getNodeType());
      }
      String item = kind.substring(1, kind.length() - 1);
      for (int i = 0; i < value.size(); i++) {
        checkValue(value.get(i), item, path + "[" + i + "]");
      }
      return;
    }
    switch (kind) {
      case "string" -> require(value.isTextual(), path, kind, value);
      case "integer" -> require(value.isIntegralNumber(), path, kind, value);
      case "number" -> require(value.isNumber(), path, kind, value);
      case "boolean" -> require(value.isBoolean(), path, kind, value);
      default -> {
        Map<String, String> properties = SCHEMAS.get(kind);
        if (properties == null) {
          fail("no schema " + kind + " in the transcription");
        }
        require(value.isObject(), path, kind, value);
        for (Map.Entry<String, JsonNode> field : value.properties()) {
          String child = properties.get(field.getKey());
          if (child == null) {
            fail(path + "." + field.getKey() + " is not a property of " + kind + " in the Gemini spec");
          }
          checkValue(field.getValue(), child, path + "." + field.getKey());
        }
      }
    }
  }

  private static void require(boolean ok, String path, String kind, JsonNode value) {
    if (!ok) {
      fail(path + " must be " + kind + " per the Gemini spec, was " + value);
    }
  }
}
