package dev.aigw.core.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives the shipped {@code models.csv} from LiteLLM's {@code model_prices_and_context_window.json}.
 * Test scope: Jackson is needed here only, never at runtime.
 *
 * <pre>
 * ./mvnw -o -q -pl aigw-core -am install -DskipTests
 * ./mvnw -o -q -pl aigw-core exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.aigw.core.catalog.DeriveCatalog \
 *     -Dexec.args="/path/to/model_prices_and_context_window.json aigw-core/src/main/resources/dev/aigw/core/catalog/models.csv"
 * </pre>
 *
 * <p>The rules (also in {@code SOURCES.md}):
 *
 * <ol>
 *   <li>Only entries with {@code mode == "chat"} whose {@code litellm_provider} is {@code openai},
 *       {@code azure}, {@code anthropic} or {@code gemini}; the provider becomes its
 *       OpenTelemetry {@code gen_ai.provider.name} ({@link #PROVIDERS}).
 *   <li>The model is the key without the {@code "<litellm_provider>/"} prefix; a key that still
 *       holds a {@code '/'} (a region or variant such as {@code azure/eu/gpt-4o-2024-08-06}) is
 *       skipped.
 *   <li>Entries without both {@code input_cost_per_token} and {@code output_cost_per_token} are
 *       skipped (the code-interpreter {@code container} entries); an entry with only one of them
 *       fails the run.
 *   <li>When a prefixed and an unprefixed key give the same model (e.g. {@code
 *       gemini/gemini-pro-latest} and {@code gemini-pro-latest}), the prefixed key wins; the
 *       run lists every such pair and whether they differ.
 *   <li>Prices are read as {@link BigDecimal} (never double) and written with trailing zeros
 *       stripped, in plain notation.
 *   <li>A tier comes from the {@code *_above_<N>k_tokens} keys of input, output, cache read and
 *       cache creation ({@code 128k} = 128000); service-tier variants such as {@code
 *       *_above_200k_tokens_priority} are ignored. More than one threshold, or a tier without an
 *       input price, fails the run.
 * </ol>
 */
public final class DeriveCatalog {
  /** LiteLLM provider → OpenTelemetry {@code gen_ai.provider.name}. */
  static final Map<String, String> PROVIDERS = Map.of(
      "openai", "openai",
      "azure", "azure.ai.openai",
      "anthropic", "anthropic",
      "gemini", "gcp.gemini");

  /** The one comment line at the top of the CSV. */
  static final String POINTER =
      "# Derived from LiteLLM's model_prices_and_context_window.json (MIT, Copyright (c) 2023 Berri AI);"
          + " source commit, rules and how to regenerate: SOURCES.md next to this file.";

  private static final Pattern TIER_KEY = Pattern.compile(
      "(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)"
          + "_above_(\\d+)(k?)_tokens");

  private DeriveCatalog() {}

  /** What a run produced: the CSV text, rows per catalog provider, and notes for the operator. */
  record Derivation(String csv, Map<String, Integer> rowsPerProvider, List<String> notes) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: DeriveCatalog <model_prices_and_context_window.json> <models.csv>");
      System.exit(2);
    }
    byte[] json = Files.readAllBytes(Path.of(args[0]));
    Derivation d = derive(json);
    Files.writeString(Path.of(args[1]), d.csv(), StandardCharsets.UTF_8);
    System.err.println("source sha256 " + sha256(json));
    System.err.println("wrote " + args[1] + ": " + d.rowsPerProvider());
    for (String note : d.notes()) {
      System.err.println("note: " + note);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Derivation derive(byte[] json) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    return derive(mapper.readTree(json));
  }

  static Derivation derive(JsonNode root) {
    List<String> notes = new ArrayList<>();
    // (provider, model) → [row, prefixed?, source key]
    Map<List<String>, Candidate> chosen = new TreeMap<>(
        Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
    TreeSet<String> skippedSlash = new TreeSet<>();
    TreeSet<String> skippedUnpriced = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String key = e.getKey();
      JsonNode entry = e.getValue();
      if (!entry.isObject() || !"chat".equals(entry.path("mode").asText())) {
        continue;
      }
      String litellmProvider = entry.path("litellm_provider").asText();
      String provider = PROVIDERS.get(litellmProvider);
      if (provider == null) {
        continue;
      }
      boolean prefixed = key.startsWith(litellmProvider + "/");
      String model = prefixed ? key.substring(litellmProvider.length() + 1) : key;
      if (model.contains("/")) {
        skippedSlash.add(key);
        continue;
      }
      boolean hasIn = entry.hasNonNull("input_cost_per_token");
      boolean hasOut = entry.hasNonNull("output_cost_per_token");
      if (!hasIn && !hasOut) {
        skippedUnpriced.add(key);
        continue;
      }
      if (hasIn != hasOut) {
        throw new IllegalArgumentException(key + ": has only one of input_cost_per_token and output_cost_per_token");
      }
      String row = row(key, provider, model, entry);
      Candidate c = new Candidate(row, prefixed, key);
      List<String> k = List.of(provider, model);
      Candidate earlier = chosen.get(k);
      if (earlier == null) {
        chosen.put(k, c);
        continue;
      }
      Candidate winner = earlier.prefixed() ? earlier : c;
      Candidate loser = winner == earlier ? c : earlier;
      if (winner.prefixed() == loser.prefixed()) {
        throw new IllegalArgumentException("keys " + earlier.key() + " and " + key + " both give " + provider + "/" + model);
      }
      chosen.put(k, winner);
      notes.add("'" + winner.key() + "' and '" + loser.key() + "' both give " + provider + "/" + model
          + "; kept '" + winner.key() + "'"
          + (winner.row().equals(loser.row()) ? " (same row)" : "; they differ:\n    kept    " + winner.row()
              + "\n    dropped " + loser.row()));
    }
    notes.add("skipped " + skippedSlash.size() + " keys with a '/' after the provider prefix: " + skippedSlash);
    notes.add("skipped " + skippedUnpriced.size() + " keys without per-token prices: " + skippedUnpriced);

    StringBuilder csv = new StringBuilder();
    csv.append(POINTER).append('\n');
    csv.append(String.join(",", ModelCatalog.COLUMNS)).append('\n');
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<List<String>, Candidate> e : chosen.entrySet()) {
      csv.append(e.getValue().row()).append('\n');
      counts.merge(e.getKey().get(0), 1, Integer::sum);
    }
    return new Derivation(csv.toString(), counts, notes);
  }

  private record Candidate(String row, boolean prefixed, String key) {}

  private static String row(String key, String provider, String model, JsonNode e) {
    for (char c : model.toCharArray()) {
      if (c == ',' || c == '"' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(key + ": model name has a character the CSV cannot hold");
      }
    }
    List<String> f = new ArrayList<>();
    f.add(provider);
    f.add(model);
    f.add(window(key, e, "max_input_tokens"));
    f.add(window(key, e, "max_output_tokens"));
    List<String> caps = new ArrayList<>();
    capability(key, e, "supports_function_calling", "tools", caps);
    capability(key, e, "supports_vision", "vision", caps);
    capability(key, e, "supports_response_schema", "json_schema", caps);
    capability(key, e, "supports_reasoning", "reasoning", caps);
    f.add(String.join("|", caps));
    f.add(price(key, e, "input_cost_per_token"));
    f.add(price(key, e, "output_cost_per_token"));
    f.add(price(key, e, "cache_read_input_token_cost"));
    f.add(price(key, e, "cache_creation_input_token_cost"));
    f.add(price(key, e, "output_cost_per_reasoning_token"));
    // Long-context tier.
    Map<String, String> tier = new TreeMap<>();
    TreeSet<Long> thresholds = new TreeSet<>();
    for (Map.Entry<String, JsonNode> property : e.properties()) {
      String name = property.getKey();
      Matcher m = TIER_KEY.matcher(name);
      if (m.matches() && !property.getValue().isNull()) {
        long threshold = Long.parseLong(m.group(2)) * (m.group(3).isEmpty() ? 1 : 1000);
        thresholds.add(threshold);
        tier.put(m.group(1), price(key, e, name));
      }
    }
    if (thresholds.size() > 1) {
      throw new IllegalArgumentException(key + ": more than one tier threshold " + thresholds);
    }
    if (thresholds.isEmpty()) {
      f.add("");
    } else {
      if (!tier.containsKey("input_cost_per_token")) {
        throw new IllegalArgumentException(key + ": a tier without input_cost_per_token_above_*");
      }
      f.add(Long.toString(thresholds.first()));
    }
    f.add(tier.getOrDefault("input_cost_per_token", ""));
    f.add(tier.getOrDefault("output_cost_per_token", ""));
    f.add(tier.getOrDefault("cache_read_input_token_cost", ""));
    f.add(tier.getOrDefault("cache_creation_input_token_cost", ""));
    return String.join(",", f);
  }

  private static String window(String key, JsonNode e, String field) {
    JsonNode n = e.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0) {
      throw new IllegalArgumentException(key + ": " + field + " is not a positive int: " + n);
    }
    return Integer.toString(n.intValue());
  }

  private static void capability(String key, JsonNode e, String field, String name, List<String> caps) {
    JsonNode n = e.get(field);
    if (n == null || n.isNull()) {
      return;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(key + ": " + field + " is not a boolean: " + n);
    }
    if (n.booleanValue()) {
      caps.add(name);
    }
  }

  private static String price(String key, JsonNode e, String field) {
    JsonNode n = e.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isNumber()) {
      throw new IllegalArgumentException(key + ": " + field + " is not a number: " + n);
    }
    // With USE_BIG_DECIMAL_FOR_FLOATS the JSON text becomes a BigDecimal directly: no double.
    BigDecimal v = Objects.requireNonNull(n.decimalValue());
    if (n.isFloatingPointNumber() && !n.isBigDecimal()) {
      throw new IllegalStateException(key + ": " + field + " was read as a double; enable USE_BIG_DECIMAL_FOR_FLOATS");
    }
    if (v.signum() < 0) {
      throw new IllegalArgumentException(key + ": " + field + " is negative: " + v.toPlainString());
    }
    return (v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros()).toPlainString();
  }
}
