package dev.aigw.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates answers against the JSON schemas requests carry, with networknt's validator. Schemas
 * are compiled once (up to {@value #MAX_SCHEMAS}, then the cache starts afresh) and never fetch
 * remote references.
 */
final class SchemaValidator {
  private static final int MAX_SCHEMAS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
  private final ConcurrentHashMap<String, Schema> compiled = new ConcurrentHashMap<>();

  /**
   * One reason an answer does not match.
   *
   * @param location where in the answer (a JSON pointer-like path), or {@code ""} when it is not JSON
   * @param keyword the schema keyword that failed ({@code "type"}, {@code "required"}), or {@code "json"}
   * @param message the validator's message, for the model (it may quote the answer's values)
   */
  record Problem(String location, String keyword, String message) {}

  /** What is wrong with {@code answer} against {@code schema}; empty when it matches. */
  List<Problem> validate(String schema, String answer) {
    Schema compiledSchema = compiled.get(schema);
    if (compiledSchema == null) {
      if (compiled.size() >= MAX_SCHEMAS) {
        compiled.clear();
      }
      compiledSchema = compiled.computeIfAbsent(schema, registry::getSchema);
    }
    JsonNode node;
    try {
      node = JSON.readTree(unfenced(answer));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return List.of(new Problem("", "json", "the answer is not valid JSON" + where + ": " + e.getOriginalMessage()));
    }
    if (node == null || node.isMissingNode()) {
      return List.of(new Problem("", "json", "the answer is empty, not JSON"));
    }
    List<Problem> problems = new ArrayList<>();
    for (Error error : compiledSchema.validate(node)) {
      problems.add(new Problem(String.valueOf(error.getInstanceLocation()), String.valueOf(error.getKeyword()), error.getMessage()));
    }
    return problems;
  }

  /** The answer without one surrounding Markdown code fence, which some models add despite the format. */
  private static String unfenced(String answer) {
    String t = answer.strip();
    if (t.startsWith("```") && t.endsWith("```") && t.length() >= 6) {
      int firstLine = t.indexOf('\n');
      if (firstLine > 0 && firstLine < t.length() - 3) {
        return t.substring(firstLine + 1, t.length() - 3);
      }
    }
    return t;
  }

  /** The re-ask message for the model: every problem, with the validator's messages. */
  static String reask(List<Problem> problems) {
    StringBuilder b = new StringBuilder("Your answer does not match the required JSON schema:\n");
    for (Problem p : problems) {
      b.append("- ").append(p.location().isEmpty() ? "" : p.location() + ": ").append(p.message()).append('\n');
    }
    return b.append("Answer again with only the corrected JSON, matching the schema exactly.").toString();
  }

  /** The problems for an exception message: where and which keyword, never the answer's values. */
  static String describe(List<Problem> problems) {
    List<String> parts = new ArrayList<>();
    for (Problem p : problems) {
      parts.add(p.keyword().equals("json") ? "not valid JSON" : (p.location().isEmpty() ? "$" : p.location()) + " (" + p.keyword() + ")");
      if (parts.size() == 10) {
        parts.add("and " + (problems.size() - 10) + " more");
        break;
      }
    }
    return String.join(", ", parts);
  }
}
