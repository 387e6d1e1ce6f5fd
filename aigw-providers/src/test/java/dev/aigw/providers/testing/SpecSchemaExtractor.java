package dev.aigw.providers.testing;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Regenerates the self-contained JSON Schema 2020-12 files under {@code
 * src/test/resources/specs/} from the providers' published OpenAPI documents (see SOURCES.md
 * there). Not a test: run it by hand when a spec is updated.
 *
 * <pre>
 * ./mvnw -q -pl aigw-providers test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=dev.aigw.providers.testing.SpecSchemaExtractor -Dexec.classpathScope=test \
 *     -Dexec.args="../shared/data aigw-providers/src/test/resources/specs"
 * </pre>
 *
 * <p>For each request type it resolves the schema the operation's JSON request body references,
 * collects every component that schema transitively {@code $ref}s, and writes one file with the
 * root as {@code {"$ref":"#/$defs/Root"}} and the components under {@code $defs}. On the way it:
 *
 * <ul>
 *   <li>keeps only JSON Schema keywords that validate (and {@code format}); annotations ({@code
 *       description}, {@code title}, {@code default}, {@code examples}, {@code deprecated}, ...),
 *       OpenAPI-only keywords ({@code discriminator}, {@code example}, {@code xml}, {@code
 *       externalDocs}) and {@code x-*} extensions are dropped, which changes no verdict;
 *   <li>turns OpenAPI 3.0's {@code nullable: true} into a type union with {@code "null"} (or an
 *       {@code anyOf} with {@code {"type":"null"}} when there is no {@code type}), and adds {@code
 *       null} to an {@code enum}. OpenAI's 3.1 document still uses {@code nullable} on sixteen
 *       fields, so this applies to every spec, not only Gemini's;
 *   <li>turns 3.0's boolean {@code exclusiveMinimum}/{@code exclusiveMaximum} into the numeric form;
 *   <li>applies the few documented {@link Patch patches} below, where a spec disagrees with the
 *       wire format the provider accepts;
 *   <li>sorts every object's keys, so the output is deterministic.
 * </ul>
 */
public final class SpecSchemaExtractor {
  private static final String COMPONENT_PREFIX = "#/components/schemas/";
  private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  /** Keywords whose value is one subschema (or a boolean schema). */
  private static final Set<String> SCHEMA_VALUED = Set.of(
      "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "items", "contains",
      "propertyNames", "not", "if", "then", "else");
  /** Keywords whose value is an array of subschemas. */
  private static final Set<String> SCHEMA_ARRAY_VALUED = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
  /** Keywords whose value is a map from names to subschemas. */
  private static final Set<String> SCHEMA_MAP_VALUED = Set.of("properties", "patternProperties", "dependentSchemas");
  /** Keywords copied as they are. */
  private static final Set<String> LITERAL = Set.of(
      "$ref", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
      "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
      "maxProperties", "minProperties", "required", "dependentRequired", "format");

  /** One generated file. */
  record Target(String file, String spec, String path, String method, String expectedComponent, List<Patch> patches) {}

  /**
   * A deliberate change to the upstream schema, recorded in SOURCES.md.
   *
   * @param component the component changed
   * @param why the reason, for the log
   * @param removeRequired a property no longer required
   */
  record Patch(String component, String removeRequired, String why) {}

  static final List<Target> TARGETS = List.of(
      new Target("openai-create-chat-completion-request", "openai-openapi.yaml", "/chat/completions", "post",
          "CreateChatCompletionRequest", List.of()),
      new Target("openai-create-embedding-request", "openai-openapi.yaml", "/embeddings", "post",
          "CreateEmbeddingRequest", List.of()),
      new Target("anthropic-create-message-request", "anthropic-openapi.json", "/v1/messages", "post",
          "CreateMessageParams", List.of()),
      new Target("gemini-generate-content-request", "gemini-openapi.json", "/v1beta/models/{model}:generateContent", "post",
          "GenerateContentRequest", List.of(new Patch("GenerateContentRequest", "model",
              "the model is the {model} path parameter; clients (and Google's SDKs) leave it out of the body"))),
      new Target("gemini-batch-embed-contents-request", "gemini-openapi.json", "/v1beta/models/{model}:batchEmbedContents", "post",
          "BatchEmbedContentsRequest", List.of()));

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML;

  static {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024); // openai-openapi.yaml is close to SnakeYAML's 3 MB default
    YAMLFactory factory = YAMLFactory.builder()
        .loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(5000).build())
        .build();
    YAML = new YAMLMapper(factory);
  }

  private final Map<String, Integer> dropped = new TreeMap<>();

  private SpecSchemaExtractor() {}

  /**
   * @param args the folder holding the specs (shared/data) and the output folder
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: SpecSchemaExtractor <spec-dir> <output-dir>");
      System.exit(2);
    }
    Path specs = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Map<String, JsonNode> loaded = new LinkedHashMap<>();
    for (Target target : TARGETS) {
      Path specFile = specs.resolve(target.spec());
      JsonNode spec = loaded.get(target.spec());
      if (spec == null) {
        spec = load(specFile);
        loaded.put(target.spec(), spec);
        System.out.println(target.spec() + " sha256 " + sha256(specFile));
      }
      SpecSchemaExtractor extractor = new SpecSchemaExtractor();
      ObjectNode schema = extractor.extract(spec, target, sha256(specFile));
      Path file = out.resolve(target.file() + ".schema.json");
      byte[] bytes = (JSON.writeValueAsString(schema) + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes);
      System.out.println("  wrote " + file + " (" + bytes.length + " bytes, " + schema.get("$defs").size()
          + " components); dropped keywords " + extractor.dropped);
    }
  }

  static JsonNode load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (file.toString().endsWith(".yaml") || file.toString().endsWith(".yml") ? YAML : JSON).readTree(in);
    }
  }

  ObjectNode extract(JsonNode spec, Target target, String specSha256) {
    JsonNode components = spec.path("components").path("schemas");
    JsonNode operation = spec.path("paths").path(target.path()).path(target.method());
    String rootRef = operation.path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText("");
    if (!rootRef.startsWith(COMPONENT_PREFIX)) {
      throw new IllegalStateException(target.method() + " " + target.path() + " in " + target.spec()
          + " has no JSON request body referencing a component schema");
    }
    String root = rootRef.substring(COMPONENT_PREFIX.length());
    if (!root.equals(target.expectedComponent())) {
      throw new IllegalStateException(target.method() + " " + target.path() + " now takes " + root + ", not "
          + target.expectedComponent() + ": check the target and the tests");
    }

    Map<String, JsonNode> defs = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (defs.containsKey(name)) {
        continue;
      }
      JsonNode source = components.get(name);
      if (source == null) {
        throw new IllegalStateException(target.spec() + " has no component schema " + name);
      }
      JsonNode converted = convert(source);
      for (Patch patch : target.patches()) {
        if (patch.component().equals(name)) {
          converted = apply(patch, converted);
        }
      }
      defs.put(name, converted);
      Set<String> refs = new TreeSet<>();
      collectRefs(converted, refs);
      todo.addAll(refs);
    }

    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("$comment", "Generated by dev.aigw.providers.testing.SpecSchemaExtractor from " + target.spec()
        + " (sha256 " + specSha256 + "), the request body of " + target.method().toUpperCase(java.util.Locale.ROOT)
        + " " + target.path() + ", component schema " + root + ". Do not edit; see SOURCES.md.");
    schema.put("$ref", "#/$defs/" + root);
    schema.put("$schema", DRAFT);
    ObjectNode defsNode = schema.putObject("$defs");
    defs.forEach(defsNode::set);
    return schema;
  }

  private static JsonNode apply(Patch patch, JsonNode schema) {
    if (!(schema instanceof ObjectNode object) || !(object.get("required") instanceof ArrayNode required)) {
      throw new IllegalStateException("patch " + patch + " no longer applies: " + patch.component() + " has no required list");
    }
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    boolean found = false;
    for (JsonNode name : required) {
      if (name.asText().equals(patch.removeRequired())) {
        found = true;
      } else {
        kept.add(name);
      }
    }
    if (!found) {
      throw new IllegalStateException("patch " + patch + " no longer applies: " + patch.removeRequired() + " is not required");
    }
    object.set("required", kept);
    return object;
  }

  /** One schema (or boolean schema) converted to plain JSON Schema 2020-12 with sorted keys. */
  JsonNode convert(JsonNode node) {
    if (node.isBoolean()) {
      return node;
    }
    if (!node.isObject()) {
      throw new IllegalStateException("not a schema: " + node);
    }
    TreeMap<String, JsonNode> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (SCHEMA_VALUED.contains(key)) {
        if (key.equals("items") && value.isArray()) {
          throw new IllegalStateException("tuple-form items is not handled: " + node);
        }
        out.put(key, convert(value));
      } else if (SCHEMA_ARRAY_VALUED.contains(key)) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        value.forEach(sub -> array.add(convert(sub)));
        out.put(key, array);
      } else if (SCHEMA_MAP_VALUED.contains(key)) {
        TreeMap<String, JsonNode> map = new TreeMap<>();
        value.fields().forEachRemaining(e -> map.put(e.getKey(), convert(e.getValue())));
        out.put(key, object(map));
      } else if (key.equals("$ref")) {
        String ref = value.asText();
        if (!ref.startsWith(COMPONENT_PREFIX)) {
          throw new IllegalStateException("unsupported $ref " + ref);
        }
        out.put(key, JsonNodeFactory.instance.textNode("#/$defs/" + ref.substring(COMPONENT_PREFIX.length())));
      } else if (key.equals("required") && !value.isArray()) {
        drop("required(non-array)");
      } else if ((key.equals("exclusiveMinimum") || key.equals("exclusiveMaximum")) && value.isBoolean()) {
        // OpenAPI 3.0 / draft 4 form: handled below together with minimum/maximum
      } else if (LITERAL.contains(key)) {
        out.put(key, value.deepCopy());
      } else if (!key.equals("nullable")) {
        drop(key.startsWith("x-") ? "x-*" : key);
      }
    }
    exclusiveBound(node, out, "exclusiveMinimum", "minimum");
    exclusiveBound(node, out, "exclusiveMaximum", "maximum");
    JsonNode converted = object(out);
    if (node.path("nullable").asBoolean(false)) {
      converted = nullable(out);
    }
    return converted;
  }

  private static void exclusiveBound(JsonNode source, TreeMap<String, JsonNode> out, String exclusive, String bound) {
    if (source.path(exclusive).isBoolean()) {
      if (source.get(exclusive).asBoolean() && out.containsKey(bound)) {
        out.put(exclusive, out.remove(bound));
      }
    }
  }

  /** OpenAPI 3.0's {@code nullable: true} in JSON Schema 2020-12 terms. */
  private static JsonNode nullable(TreeMap<String, JsonNode> schema) {
    JsonNode type = schema.get("type");
    if (type == null || schema.containsKey("const")) {
      TreeMap<String, JsonNode> wrapper = new TreeMap<>();
      ArrayNode anyOf = JsonNodeFactory.instance.arrayNode();
      anyOf.add(object(new TreeMap<>(Map.of("type", JsonNodeFactory.instance.textNode("null")))));
      anyOf.add(object(schema));
      wrapper.put("anyOf", anyOf);
      return object(wrapper);
    }
    ArrayNode types = JsonNodeFactory.instance.arrayNode();
    if (type.isArray()) {
      type.forEach(types::add);
    } else {
      types.add(type);
    }
    boolean hasNull = false;
    for (JsonNode t : types) {
      hasNull |= t.asText().equals("null");
    }
    if (!hasNull) {
      types.add("null");
    }
    schema.put("type", types);
    if (schema.get("enum") instanceof ArrayNode values) {
      boolean enumHasNull = false;
      for (JsonNode v : values) {
        enumHasNull |= v.isNull();
      }
      if (!enumHasNull) {
        values.addNull();
      }
    }
    return object(schema);
  }

  private static ObjectNode object(Map<String, JsonNode> fields) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    fields.forEach(node::set);
    return node;
  }

  private void drop(String keyword) {
    dropped.merge(keyword, 1, Integer::sum);
  }

  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        refs.add(ref.asText().substring("#/$defs/".length()));
      }
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
        if (!e.getKey().equals("enum") && !e.getKey().equals("const")) {
          collectRefs(e.getValue(), refs);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
