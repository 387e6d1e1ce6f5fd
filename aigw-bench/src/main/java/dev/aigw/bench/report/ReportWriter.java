package dev.aigw.bench.report;

import static dev.aigw.bench.report.Cells.bytes;
import static dev.aigw.bench.report.Cells.cell;
import static dev.aigw.bench.report.Cells.duration;
import static dev.aigw.bench.report.Cells.num;
import static dev.aigw.bench.report.Cells.rate;
import static dev.aigw.bench.report.Cells.ratio;
import static dev.aigw.bench.report.Cells.signed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the raw results of one {@code aigw-bench/report.sh} run into markdown tables, each figure
 * next to its baseline measured in the same run, and writes them into {@code docs/benchmarks.md}.
 *
 * <pre>
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.report.ReportWriter aigw-bench/target/report [docs/benchmarks.md]
 * </pre>
 *
 * <p>It reads from the report directory: {@code machine.properties} and {@code steps.tsv}, {@code
 * commands.tsv} and {@code jmh-settings.tsv} (written by the script), JMH's JSON results under
 * {@code jmh/}, and the harnesses' {@code -Dout} JSON files. It writes {@code report.md} there (every
 * section in one page), and, when a page is given, replaces each block between {@code <!--
 * report:NAME:begin -->} and {@code <!-- report:NAME:end -->} in it with the section NAME. A figure
 * whose benchmark did not run (a {@code --quick} run measures fewer parameters) is left out or
 * shown as "–".
 */
public final class ReportWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern BLOCK = Pattern.compile(
      "(<!-- report:([a-z0-9-]+):begin -->\\n)(.*?)(<!-- report:\\2:end -->)", Pattern.DOTALL);

  private final Path dir;
  private final Map<String, String> machine;
  private final List<String[]> steps;
  private final List<Jmh> jmh = new ArrayList<>();

  private ReportWriter(Path dir) throws IOException {
    this.dir = dir;
    this.machine = properties(dir.resolve("machine.properties"));
    this.steps = tsv(dir.resolve("steps.tsv"));
    Path jmhDir = dir.resolve("jmh");
    if (Files.isDirectory(jmhDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(jmhDir, "*.json")) {
        for (Path f : files) {
          String step = f.getFileName().toString().replaceFirst("\\.json$", "");
          JsonNode root = MAPPER.readTree(f.toFile());
          if (root != null && root.isArray()) {
            for (JsonNode n : root) {
              jmh.add(Jmh.of(step, n));
            }
          }
        }
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ReportWriter REPORT_DIR [PAGE.md]");
      System.exit(2);
    }
    ReportWriter w = new ReportWriter(Path.of(args[0]));
    Map<String, String> sections = w.sections();
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, String> e : sections.entrySet()) {
      all.append("<!-- ").append(e.getKey()).append(" -->\n").append(e.getValue()).append('\n');
    }
    Path report = w.dir.resolve("report.md");
    Files.writeString(report, all.toString(), StandardCharsets.UTF_8);
    System.out.println("wrote " + report);
    if (args.length > 1) {
      Path page = Path.of(args[1]);
      String text = Files.readString(page, StandardCharsets.UTF_8);
      Matcher m = BLOCK.matcher(text);
      StringBuilder out = new StringBuilder();
      List<String> replaced = new ArrayList<>();
      while (m.find()) {
        String name = m.group(2);
        String body = sections.get(name);
        if (body == null) {
          body = "_No section named `" + name + "` in this report._\n";
        }
        replaced.add(name);
        m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + body + m.group(4)));
      }
      m.appendTail(out);
      Files.writeString(page, out.toString(), StandardCharsets.UTF_8);
      List<String> missing = new ArrayList<>(sections.keySet());
      missing.removeAll(replaced);
      System.out.println("updated " + page + ": " + replaced.size() + " blocks"
          + (missing.isEmpty() ? "" : "; no block in the page for " + missing));
    }
  }

  /** Every section, by the name its markers carry, in page order. */
  private Map<String, String> sections() throws IOException {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("run", run());
    s.put("summary", summary());
    s.put("chain", chain());
    s.put("provider", provider());
    s.put("proxy", proxy());
    s.put("routing", routing());
    s.put("tokens", tokens());
    s.put("cache", cache());
    s.put("budgets", budgets());
    s.put("guardrails", guardrails());
    s.put("telemetry", telemetry());
    s.put("pool", pool());
    s.put("redis", redis());
    s.put("soak", soak());
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // The run: machine, steps, settings, commands

  private String run() throws IOException {
    StringBuilder b = new StringBuilder();
    String mode = machine.getOrDefault("mode", "?");
    boolean quick = mode.equals("quick");
    b.append("_Generated by `aigw-bench/report.sh` (").append(quick ? "`--quick`: a **smoke run**" : "full run")
        .append(") on ").append(machine.getOrDefault("date", "?")).append(", commit `")
        .append(machine.getOrDefault("commit", "?")).append("`._\n\n");
    String note = machine.getOrDefault("note", "");
    if (!note.isBlank()) {
      b.append("> **Note:** ").append(note).append("\n\n");
    }
    if (quick) {
      b.append("> A `--quick` run measures fewer parameters with very short iterations: its figures show that every\n"
          + "> step runs and what the tables look like, not what aigw costs. Do not quote them.\n\n");
    }
    b.append("| machine | |\n|---|---|\n");
    for (String[] kv : new String[][] {
        {"cpu", "CPU"}, {"cores", "cores"}, {"memory", "memory"}, {"hypervisor", "hypervisor"}, {"os", "OS"},
        {"kernel", "kernel"}, {"jdk", "JDK"}, {"jvm", "JVM"}, {"maven", "Maven"}, {"node", "Node.js"},
        {"npm", "npm"}, {"redis", "redis-server"}, {"commit", "commit"}, {"branch", "branch"},
        {"loadStart", "load average at start"}, {"loadEnd", "load average at end"}}) {
      String v = machine.get(kv[0]);
      if (v != null && !v.isBlank()) {
        b.append("| ").append(kv[1]).append(" | ").append(cell(v)).append(" |\n");
      }
    }
    b.append('\n');
    if (!steps.isEmpty()) {
      b.append("| step | what | planned | took | status |\n|---|---|---:|---:|---|\n");
      long planned = 0;
      long took = 0;
      for (String[] st : steps) {
        planned += parseLong(at(st, 2));
        took += parseLong(at(st, 3));
        b.append("| ").append(at(st, 0)).append(" | ").append(cell(at(st, 1))).append(" | ")
            .append(duration(parseLong(at(st, 2)))).append(" | ").append(duration(parseLong(at(st, 3)))).append(" | ")
            .append(cell(at(st, 4))).append(at(st, 5).isBlank() ? "" : ": " + cell(at(st, 5))).append(" |\n");
      }
      b.append("| **total** | | **").append(duration(planned)).append("** | **").append(duration(took)).append("** | |\n\n");
    }
    List<String[]> settings = tsv(dir.resolve("jmh-settings.tsv"));
    if (!settings.isEmpty()) {
      b.append("JMH settings per step (JMH ").append(jmh.isEmpty() ? "?" : jmh.get(0).jmhVersion)
          .append("; every JMH step also runs with `-prof gc -foe true -rf json`):\n\n| step | options |\n|---|---|\n");
      for (String[] st : settings) {
        b.append("| ").append(at(st, 0)).append(" | `").append(at(st, 1)).append("` |\n");
      }
      b.append('\n');
    }
    List<String[]> commands = tsv(dir.resolve("commands.tsv"));
    if (!commands.isEmpty()) {
      b.append("<details><summary>Every command the run executed, from the repository root</summary>\n\n```sh\n");
      String last = null;
      for (String[] c : commands) {
        if (!at(c, 0).equals(last)) {
          b.append("# ").append(at(c, 0)).append('\n');
          last = at(c, 0);
        }
        b.append(at(c, 1)).append('\n');
      }
      b.append("```\n\n</details>\n");
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Headline figures

  private String summary() throws IOException {
    List<String[]> rows = new ArrayList<>();
    find("ProviderOverheadBenchmark", "aigwGatewayBlocking").ifPresent(g -> find("ProviderOverheadBenchmark", "floorBlocking")
        .ifPresent(f -> rows.add(new String[] {"aigw gateway, blocking call over loopback", "the hand-written OkHttp floor",
            ratio(g.score / f.score), "[provider](#provideroverheadbenchmark-aigw-against-the-okhttp-floor-and-two-sdks)"})));
    find("ProviderOverheadBenchmark", "aigwGatewayBlocking").ifPresent(g -> find("ProviderOverheadBenchmark", "openaiSdkBlocking")
        .ifPresent(f -> rows.add(new String[] {"aigw gateway, blocking call over loopback", "the official OpenAI SDK (openai-java)",
            ratio(g.score / f.score), "[provider](#provideroverheadbenchmark-aigw-against-the-okhttp-floor-and-two-sdks)"})));
    Map<String, JsonNode> proxy = proxyCells();
    for (String kind : List.of("blocking", "stream")) {
      JsonNode floor = proxy.get("floor/" + kind + "/1");
      JsonNode portkey = proxy.get("portkey/" + kind + "/1");
      JsonNode aigw = proxy.get("aigw/" + kind + "/1");
      if (floor != null && portkey != null && aigw != null) {
        double pAdd = portkey.path("p50Us").asDouble() - floor.path("p50Us").asDouble();
        double aAdd = aigw.path("p50Us").asDouble() - floor.path("p50Us").asDouble();
        rows.add(new String[] {"latency added per " + kind + " call (p50, 1 thread): Portkey proxy on loopback",
            "aigw in-process (" + num(aAdd) + " µs)", num(pAdd) + " µs (" + (aAdd > 0 ? ratio(pAdd / aAdd) : "–") + ")",
            "[proxy](#side-by-side-a-proxy-gateway-portkey)"});
      }
    }
    find("ChainBenchmark", "chat", p("interceptors", "10")).ifPresent(t -> find("ChainBenchmark", "chat", p("interceptors", "0"))
        .ifPresent(z -> rows.add(new String[] {"gateway call with 10 no-op interceptors", "no interceptors",
            ratio(t.score / z.score), "[chain](#chainbenchmark-the-interceptor-chain)"})));
    find("TelemetryBenchmark", "chat", p("telemetry", "sdk")).ifPresent(t -> find("TelemetryBenchmark", "chat", p("telemetry", "none"))
        .ifPresent(z -> rows.add(new String[] {"gateway call with OpenTelemetry (SDK, spans and metrics)", "no telemetry",
            ratio(t.score / z.score), "[telemetry](#telemetrybenchmark-what-opentelemetry-adds)"})));
    JsonNode pool = read("pool.json");
    if (pool != null) {
      Map<String, JsonNode> rr = new TreeMap<>();
      for (JsonNode r : pool.path("rows")) {
        rr.put(r.path("workload").asText() + "/" + r.path("picker").asText(), r);
      }
      JsonNode base = rr.get("shared/round-robin");
      JsonNode prefix = rr.get("shared/prefix+load");
      if (base != null && prefix != null) {
        rows.add(new String[] {"pool, shared prefixes: prefix+load picker, TTFT p90", "round-robin",
            ratio(prefix.path("ttftP90").asDouble() / base.path("ttftP90").asDouble()), "[pool](#poolharness-replica-pickers)"});
        rows.add(new String[] {"pool, shared prefixes: prefix+load picker, throughput", "round-robin",
            ratio(prefix.path("throughput").asDouble() / base.path("throughput").asDouble()), "[pool](#poolharness-replica-pickers)"});
      }
    }
    JsonNode redis = read("redis.json");
    if (redis != null) {
      for (JsonNode r : redis.path("rows")) {
        if (r.path("threads").asInt() == 1 && r.path("store").asText().equals("redis, pipelined")) {
          rows.add(new String[] {"budgets in Redis, 1 thread, calls/s", "in-memory budget store",
              ratio(r.path("xMemory").asDouble()), "[redis](#redisharness-budgets-and-cache-in-redis)"});
        }
      }
    }
    if (rows.isEmpty()) {
      return "_No results in this run._\n";
    }
    StringBuilder b = new StringBuilder("| figure | baseline (same run) | ratio | section |\n|---|---|---:|---|\n");
    for (String[] r : rows) {
      b.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // JMH sections

  private String chain() {
    StringBuilder b = new StringBuilder();
    Table over = new Table("call", "gateway ns/op", "direct ns/op (baseline)", "overhead ns", "× direct", "gateway B/op", "direct B/op");
    for (String[] pair : new String[][] {{"chat", "providerDirect"}, {"stream", "providerDirectStream"}}) {
      Optional<Jmh> g = find("ChainBenchmark", pair[0], p("interceptors", "0"));
      Optional<Jmh> d = find("ChainBenchmark", pair[1], p("interceptors", "0"));
      if (g.isPresent() && d.isPresent()) {
        // a prebuilt answer returned directly is about a nanosecond: a ratio against it means nothing
        String x = pair[0].equals("chat") ? "–" : ratio(g.get().score / d.get().score);
        over.row("`" + pair[0] + "`, 0 interceptors", g.get().scoreText(), d.get().scoreText(),
            signed(g.get().score - d.get().score), x, bytes(g.get().alloc), bytes(d.get().alloc));
      }
    }
    b.append(over.render("Gateway overhead: a call through `AiGateway` against the same call on the provider directly. "
        + "`providerDirect` returns a prebuilt object (about a nanosecond), so for `chat` read the overhead in ns."));
    Table ic = new Table("call", "interceptors", "ns/op", "× 0 interceptors", "per interceptor", "B/op", "per interceptor B");
    for (String call : List.of("chat", "stream")) {
      Optional<Jmh> zero = find("ChainBenchmark", call, p("interceptors", "0"));
      for (Jmh r : all("ChainBenchmark", call)) {
        int n = Integer.parseInt(r.param("interceptors", "0"));
        String ratio = zero.map(z -> ratio(r.score / z.score)).orElse("–");
        String per = n == 0 || zero.isEmpty() ? "–" : signed((r.score - zero.get().score) / n) + " ns";
        String perB = n == 0 || zero.isEmpty() || r.alloc == null || zero.get().alloc == null ? "–"
            : signed((r.alloc - zero.get().alloc) / n) + " B";
        ic.row("`" + call + "`", Integer.toString(n), r.scoreText(), ratio, per, bytes(r.alloc), perB);
      }
    }
    b.append(ic.render("No-op interceptors against none, same run. Goal: ≤ 50 ns and ≤ 40 B per added interceptor."));
    return b.toString();
  }

  private String provider() throws IOException {
    StringBuilder b = new StringBuilder();
    Table t = new Table("benchmark", "µs/op", "B/op", "× floor", "× floor, cancelled", "× openai-java", "× LangChain4j");
    for (String kind : List.of("Blocking", "StreamFirstChunk", "StreamFull")) {
      Optional<Jmh> floor = find("ProviderOverheadBenchmark", "floor" + kind);
      Optional<Jmh> cancelled = kind.equals("StreamFirstChunk") ? find("ProviderOverheadBenchmark", "floorStreamFirstChunkCancelled")
          : Optional.empty();
      Optional<Jmh> sdk = find("ProviderOverheadBenchmark", "openaiSdk" + kind);
      Optional<Jmh> lc4j = find("ProviderOverheadBenchmark", "langchain4j" + kind);
      List<String> names = new ArrayList<>(List.of("floor" + kind));
      if (kind.equals("StreamFirstChunk")) {
        names.add("floorStreamFirstChunkCancelled");
      }
      names.addAll(List.of("aigwProvider" + kind, "aigwGateway" + kind, "openaiSdk" + kind, "langchain4j" + kind));
      for (String name : names) {
        Optional<Jmh> r = find("ProviderOverheadBenchmark", name);
        if (r.isEmpty()) {
          continue;
        }
        double s = r.get().score;
        t.row("`" + name + "`", r.get().scoreText(), bytes(r.get().alloc), floor.map(f -> ratio(s / f.score)).orElse("–"),
            cancelled.map(f -> ratio(s / f.score)).orElse("–"), sdk.map(f -> ratio(s / f.score)).orElse("–"),
            lc4j.map(f -> ratio(s / f.score)).orElse("–"));
      }
    }
    b.append(t.render("One chat-completions call over loopback to the canned local server. Ratio = score ÷ the baseline "
        + "of the same kind (`…Blocking` ÷ `floorBlocking`, and so on); below 1 is faster than the baseline."));
    JsonNode check = read("provider-check.json");
    if (check != null) {
      Table c = new Table("client", "call", "requests", "new connections", "sockets after", "early closes");
      for (JsonNode r : check.path("rows")) {
        c.row(r.path("client").asText(), "`" + r.path("call").asText() + "`", r.path("requests").asText(),
            r.path("newConnections").asText(), r.path("socketsAfter").asText(), r.path("earlyCloses").asText());
      }
      b.append(c.render("`ProviderOverheadCheck " + check.path("calls").asInt() + "`: connection reuse per client "
          + "(new connections the server accepted for that many calls; ~0 means keep-alive works)."));
    }
    Map<String, List<double[]>> cpu = new TreeMap<>();
    Map<String, Integer> jvms = new TreeMap<>();
    Path cpuDir = dir.resolve("provider-cpu");
    if (Files.isDirectory(cpuDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(cpuDir, "*.json")) {
        for (Path f : files) {
          JsonNode n = MAPPER.readTree(f.toFile());
          String key = n.path("client").asText() + " " + n.path("call").asText();
          jvms.merge(key, 1, Integer::sum);
          for (JsonNode r : n.path("rounds")) {
            cpu.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {
                r.path("wallUs").asDouble(), r.path("threadCpuUs").asDouble(), r.path("processCpuUs").asDouble()});
          }
        }
      }
    }
    if (!cpu.isEmpty()) {
      Table c = new Table("client", "JVMs × rounds", "wall µs/call", "× floor", "calling thread CPU µs", "× floor",
          "process CPU µs", "× floor");
      double[] floor = null;
      for (Map.Entry<String, List<double[]>> e : cpu.entrySet()) {
        if (e.getKey().startsWith("floor ")) {
          floor = means(e.getValue());
        }
      }
      List<String> order = new ArrayList<>(cpu.keySet());
      order.sort(Comparator.comparing((String k) -> !k.startsWith("floor ")).thenComparing(k -> k));
      for (String key : order) {
        double[] m = means(cpu.get(key));
        double[] f = floor;
        c.row(key, jvms.get(key) + " × " + cpu.get(key).size() / jvms.get(key), num(m[0]), f == null ? "–" : ratio(m[0] / f[0]),
            num(m[1]), f == null ? "–" : ratio(m[1] / f[1]), num(m[2]), f == null ? "–" : ratio(m[2] / f[2]));
      }
      b.append(c.render("`ProviderOverheadCpu`: one client per JVM, JVMs alternating, means of every measured round. "
          + "CPU time is steadier than wall time on a shared machine; use it for ratios near 1."));
    }
    return b.toString();
  }

  private String routing() {
    Optional<Jmh> direct = find("RoutingBenchmark", "chat", p("policy", "direct"));
    Table t = new Table("policy", "ns/call", "× direct", "over direct", "B/call", "over direct (B)");
    for (Jmh r : ordered(all("RoutingBenchmark", "chat"), "policy",
        List.of("direct", "fallback3", "weighted", "conditional", "lowestLatency", "leastBusy", "cheapestCapable"))) {
      String policy = r.param("policy", "?");
      t.row("`" + policy + "`" + (policy.equals("direct") ? " (baseline)" : ""), r.scoreText(),
          direct.map(d -> ratio(r.score / d.score)).orElse("–"),
          direct.filter(d -> d != r).map(d -> signed(r.score - d.score) + " ns").orElse("–"), bytes(r.alloc),
          direct.filter(d -> d != r && d.alloc != null && r.alloc != null).map(d -> signed(r.alloc - d.alloc) + " B").orElse("–"));
    }
    return t.render("One blocking gateway call to the in-process provider per route policy; baseline: `direct` "
        + "(one candidate) in the same run.");
  }

  private String tokens() {
    Table t = new Table("encoding", "benchmark", "ops/s", "µs/op", "tokens/s", "× `upperBoundRequest` (time)");
    for (String enc : List.of("o200k_base", "cl100k_base")) {
      Optional<Jmh> bound = find("TokenCounterBenchmark", "upperBoundRequest", p("encoding", enc));
      for (String m : List.of("countText", "countRequest", "upperBoundRequest")) {
        find("TokenCounterBenchmark", m, p("encoding", enc)).ifPresent(r -> {
          Double tokens = r.secondary.get("tokens");
          t.row(enc, "`" + m + "`", r.scoreText(), num(1e6 / r.score),
              tokens == null || m.equals("upperBoundRequest") ? "–" : String.format(Locale.ROOT, "%.1f M", tokens / 1e6),
              bound.map(bd -> ratio(bd.score / r.score)).orElse("–"));
        });
      }
    }
    return t.render("Throughput of counting a 2 KB prompt and a five-message request; baseline: the cheap upper bound "
        + "(`upperBoundRequest`) that the router uses instead of counting.");
  }

  private String cache() {
    StringBuilder b = new StringBuilder();
    Table hit = new Table("request size", "benchmark", "ns/op", "B/op", "× bypass");
    for (Jmh bypass : all("CacheHitBenchmark", "bypass")) {
      String size = bypass.param("size", "?");
      for (String m : List.of("hit", "streamHit", "keyOnly", "bypass")) {
        find("CacheHitBenchmark", m, p("size", size)).ifPresent(r -> hit.row(size + " chars", "`" + m + "`"
            + (m.equals("bypass") ? " (baseline)" : ""), r.scoreText(), bytes(r.alloc), ratio(r.score / bypass.score)));
      }
    }
    b.append(hit.render("`CacheHitBenchmark`: an exact hit through the whole gateway; baseline: the same call bypassing "
        + "the cache to the in-process provider. Goal: a hit ≤ 2 µs for a 2 KB request."));
    Table key = new Table("text bytes", "key ns", "key B/op", "SHA-256 alone ns", "× SHA-256", "key ns per byte");
    for (Jmh k : all("CacheKeyBenchmark", "key")) {
      String size = k.param("textBytes", "?");
      Optional<Jmh> sha = find("CacheKeyBenchmark", "sha256OfText", p("textBytes", size));
      key.row(num(Double.parseDouble(size)), k.scoreText(), bytes(k.alloc), sha.map(Jmh::scoreText).orElse("–"),
          sha.map(s -> ratio(k.score / s.score)).orElse("–"), String.format(Locale.ROOT, "%.2f", k.score / Double.parseDouble(size)));
    }
    b.append(key.render("`CacheKeyBenchmark`: the cache key against request size; baseline: SHA-256 of the text alone."));
    Table vec = new Table("entries", "µs per lookup", "× 10k entries", "ns per entry");
    Optional<Jmh> small = find("VectorIndexBenchmark", "nearest", p("entries", "10000"));
    for (Jmh v : all("VectorIndexBenchmark", "nearest")) {
      double entries = Double.parseDouble(v.param("entries", "1"));
      vec.row(num(entries), v.scoreText(), small.map(s -> ratio(v.score / s.score)).orElse("–"),
          String.format(Locale.ROOT, "%.1f", v.score * 1e3 / entries));
    }
    b.append(vec.render("`VectorIndexBenchmark`: a semantic-cache miss scanning every entry (384 dimensions); baseline: "
        + "10k entries (a linear scan scales ×10 at 100k)."));
    return b.toString();
  }

  private String budgets() {
    StringBuilder b = new StringBuilder();
    Table store = new Table("threads", "tenants", "ns/op", "≈ ops/s", "× 1 thread (ops/s)");
    for (String tenants : List.of("1", "1000")) {
      Optional<Jmh> one = jmh.stream().filter(j -> j.is("BudgetStoreBenchmark", "reserveAndReconcile") && j.threads == 1
          && j.param("tenants", "").equals(tenants)).findFirst();
      jmh.stream().filter(j -> j.is("BudgetStoreBenchmark", "reserveAndReconcile") && j.param("tenants", "").equals(tenants))
          .sorted(Comparator.comparingInt(j -> j.threads)).forEach(r -> store.row(Integer.toString(r.threads), tenants,
              r.scoreText(), rate(r.threads * 1e9 / r.score), one.map(o -> ratio((r.threads / r.score) / (1 / o.score))).orElse("–")));
    }
    b.append(store.render("`BudgetStoreBenchmark`: one reserve + reconcile in `InMemoryBudgetStore`; throughput = threads ÷ "
        + "latency; baseline: one thread."));
    Table gw = new Table("benchmark", "scenario", "keys", "ns/call", "× none", "over none", "B/call", "over none (B)");
    for (String m : List.of("chat", "chatLongPrompt")) {
      for (String keys : List.of("hot", "spread")) {
        Optional<Jmh> none = budgetGateway(m, "none", keys, 1);
        for (String scenario : List.of("none", "rate", "tokensAndCost")) {
          budgetGateway(m, scenario, keys, 1).ifPresent(r -> gw.row("`" + m + "`", scenario + (scenario.equals("none") ? " (baseline)" : ""),
              keys, r.scoreText(), none.map(n -> ratio(r.score / n.score)).orElse("–"),
              none.filter(n -> n != r).map(n -> signed(r.score - n.score) + " ns").orElse("–"), bytes(r.alloc),
              none.filter(n -> n != r && n.alloc != null && r.alloc != null).map(n -> signed(r.alloc - n.alloc) + " B").orElse("–")));
        }
      }
    }
    b.append(gw.render("`BudgetGatewayBenchmark`, one thread: a gateway call with budgets against the same call without "
        + "(`none`), same run."));
    Table th = new Table("threads", "scenario", "ns/call", "≈ calls/s", "× none (calls/s)");
    jmh.stream().filter(j -> j.is("BudgetGatewayBenchmark", "chat") && j.param("keys", "").equals("hot"))
        .map(j -> j.threads).distinct().sorted().forEach(threads -> {
          Optional<Jmh> none = budgetGateway("chat", "none", "hot", threads);
          for (String scenario : List.of("none", "rate", "tokensAndCost")) {
            budgetGateway("chat", scenario, "hot", threads).ifPresent(r -> th.row(Integer.toString(threads), scenario,
                r.scoreText(), rate(threads * 1e9 / r.score), none.map(n -> ratio(n.score / r.score)).orElse("–")));
          }
        });
    b.append(th.render("`BudgetGatewayBenchmark.chat`, one hot tenant, by thread count (2 cores: past two threads read "
        + "the calls per second)."));
    return b.toString();
  }

  private Optional<Jmh> budgetGateway(String method, String scenario, String keys, int threads) {
    return jmh.stream().filter(j -> j.is("BudgetGatewayBenchmark", method) && j.threads == threads
        && j.param("scenario", "").equals(scenario) && j.param("keys", "").equals(keys)).findFirst();
  }

  private String guardrails() {
    StringBuilder b = new StringBuilder();
    Table scan = new Table("guardrails", "text", "µs per 64 KiB scan", "MB/s", "× goal (50 MB/s)");
    for (Jmh r : ordered(ordered(all("GuardrailBenchmark", "scanInput"), "text", List.of("prose", "pii")), "guardrails",
        List.of("pii", "injection", "denyList", "defaultSet"))) {
      double mbs = 65_536 / r.score;
      scan.row("`" + r.param("guardrails", "?") + "`", r.param("text", "?"), r.scoreText(), num(mbs), ratio(mbs / 50));
    }
    b.append(scan.render("`GuardrailBenchmark.scanInput`: one 64 KiB user message scanned; baseline: the goal of 50 MB/s "
        + "per core."));
    Table st = new Table("output guardrails", "µs per stream", "× none", "added per chunk");
    Optional<Jmh> none = find("GuardrailBenchmark", "stream", p("output", "none"));
    for (Jmh r : ordered(all("GuardrailBenchmark", "stream"), "output", List.of("none", "denyList", "pii"))) {
      st.row("`" + r.param("output", "?") + "`", r.scoreText(), none.map(n -> ratio(r.score / n.score)).orElse("–"),
          none.filter(n -> n != r).map(n -> String.format(Locale.ROOT, "%.2f µs", (r.score - n.score) / 64)).orElse("–"));
    }
    b.append(st.render("`GuardrailBenchmark.stream`: a streamed call of 64 chunks through the gateway; baseline: no output "
        + "guardrail."));
    return b.toString();
  }

  private String telemetry() {
    StringBuilder b = new StringBuilder();
    for (String call : List.of("chat", "stream")) {
      Optional<Jmh> none = find("TelemetryBenchmark", call, p("telemetry", "none"));
      Table t = new Table("telemetry", "ns/call", "× none", "over none", "B/call", "over none (B)");
      for (String state : List.of("none", "empty", "noop", "sdk", "sdk-content")) {
        find("TelemetryBenchmark", call, p("telemetry", state)).ifPresent(r -> t.row("`" + state + "`"
                + (state.equals("none") ? " (baseline)" : ""), r.scoreText(), none.map(n -> ratio(r.score / n.score)).orElse("–"),
            none.filter(n -> n != r).map(n -> signed(r.score - n.score) + " ns").orElse("–"), bytes(r.alloc),
            none.filter(n -> n != r && n.alloc != null && r.alloc != null).map(n -> signed(r.alloc - n.alloc) + " B").orElse("–")));
      }
      b.append(t.render("`TelemetryBenchmark." + call + "`: with each listener setup against none, same run."));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Harness sections

  private String pool() throws IOException {
    JsonNode pool = read("pool.json");
    if (pool == null) {
      return notRun("pool");
    }
    Map<String, JsonNode> baseline = new LinkedHashMap<>();
    for (JsonNode r : pool.path("rows")) {
      if (r.path("picker").asText().equals("round-robin")) {
        baseline.put(r.path("workload").asText(), r);
      }
    }
    Table t = new Table("workload", "picker", "rate (req/s)", "TTFT p50 ms", "p90", "p99", "× round-robin (p90)", "out tok/s",
        "× round-robin", "prefix hit rate", "sched. lag ms");
    for (JsonNode r : pool.path("rows")) {
      JsonNode base = baseline.get(r.path("workload").asText());
      String picker = r.path("picker").asText();
      t.row(r.path("workload").asText(), picker.equals("round-robin") ? picker + " (baseline)" : "**" + picker + "**",
          num(r.path("rate").asDouble()), num(r.path("ttftP50").asDouble()), num(r.path("ttftP90").asDouble()),
          num(r.path("ttftP99").asDouble()), base == null ? "–" : ratio(r.path("ttftP90").asDouble() / base.path("ttftP90").asDouble()),
          num(r.path("throughput").asDouble()),
          base == null ? "–" : ratio(r.path("throughput").asDouble() / base.path("throughput").asDouble()),
          String.format(Locale.ROOT, "%.2f", r.path("prefixHitRate").asDouble()), r.path("schedulerLagMs").asText());
    }
    JsonNode s = pool.path("settings");
    return t.render(String.format(Locale.ROOT, "%d simulated replicas, time scale %s, %s simulated s per run (first %s s "
            + "not measured), %s tenants; TTFT in simulated ms. Baseline: round-robin on the same workload, same run.",
        s.path("replicas").asInt(), s.path("scale").asText(), s.path("seconds").asText(), s.path("warmup").asText(),
        s.path("tenants").asText()));
  }

  private String redis() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String[] f : new String[][] {{"redis.json", "Budgets only"}, {"redis-cache.json", "Budgets and the response cache "
        + "(`-Dcache=true`), every call a new question"}}) {
      JsonNode n = read(f[0]);
      if (n == null) {
        String step = f[0].replace(".json", "");
        b.append(f[1]).append(": ").append(notRun(step)).append('\n');
        continue;
      }
      Table t = new Table("threads", "store", "calls/s", "× in-memory", "p50 µs", "p99 µs", "round trips/call");
      for (JsonNode r : n.path("rows")) {
        t.row(r.path("threads").asText(), r.path("store").asText(), rate(r.path("callsPerSecond").asDouble()),
            ratio(r.path("xMemory").asDouble()), num(r.path("p50Us").asDouble()), num(r.path("p99Us").asDouble()),
            String.format(Locale.ROOT, "%.2f", r.path("roundTripsPerCall").asDouble()));
      }
      b.append(t.render(f[1] + " (redis-server " + n.path("redisVersion").asText() + ", " + n.path("seconds").asText()
          + " s measured after " + n.path("warmup").asText() + " s of warm-up per row). Baseline: the in-memory store, same run."));
    }
    return b.toString();
  }

  private String soak() throws IOException {
    JsonNode n = read("soak.json");
    if (n == null) {
      return notRun("soak");
    }
    StringBuilder b = new StringBuilder();
    long calls = n.path("calls").asLong();
    b.append(String.format(Locale.ROOT, "%,d calls on %d threads in %.0f s (%,.0f calls/s including the checkpoints' full GCs), "
            + "%,d streamed, cache hit rate %.1f %%, %,d fell back, ended in an exception %s (guardrail blocks are intended); "
            + "max heap %d MB, telemetry %s.%n%n",
        calls, n.path("threads").asInt(), n.path("seconds").asDouble(), calls / n.path("seconds").asDouble(),
        n.path("streamed").asLong(), 100.0 * n.path("cacheHits").asLong() / Math.max(1, calls), n.path("fellBack").asLong(),
        n.path("failed").toString(), n.path("maxHeapMb").asInt(), n.path("telemetry").asText()));
    Table v = new Table("check (from the reference checkpoint to the last)", "measured", "tolerance (baseline)", "within");
    double growth = n.path("heapGrowthMb").asDouble();
    double tol = n.path("heapToleranceMb").asDouble();
    v.row("heap after GC grew", String.format(Locale.ROOT, "%+.1f MB (%.1f → %.1f)", growth, n.path("heapReferenceMb").asDouble(),
        n.path("heapLastMb").asDouble()), String.format(Locale.ROOT, "%.1f MB", tol), growth <= tol ? "yes" : "**no**");
    int fixed = n.path("fixedThreadGrowth").asInt();
    int ttol = n.path("threadTolerance").asInt();
    v.row("threads of fixed pools grew", String.format(Locale.ROOT, "%+d", fixed), Integer.toString(ttol), fixed <= ttol ? "yes" : "**no**");
    int early = n.path("elasticThreadsFirstHalf").asInt();
    int late = n.path("elasticThreadsSecondHalf").asInt();
    v.row("elastic threads, second half vs first", late + " vs " + early, "+" + ttol, late <= early + ttol ? "yes" : "**no**");
    b.append(v.render("Verdict: **" + n.path("verdict").asText() + "**."));
    Table c = new Table("checkpoint", "calls", "heap after GC MB", "threads (elastic)", "calls/s", "cache hit rate");
    for (JsonNode r : n.path("checkpoints")) {
      int i = r.path("checkpoint").asInt();
      c.row(i + (i == n.path("referenceCheckpoint").asInt() ? " (reference)" : ""), String.format(Locale.ROOT, "%,d",
              r.path("calls").asLong()), String.format(Locale.ROOT, "%.1f", r.path("heapMb").asDouble()),
          r.path("threads").asText() + " (" + r.path("elasticThreads").asText() + ")",
          r.path("callsPerSecond").isNull() ? "–" : rate(r.path("callsPerSecond").asDouble()),
          r.path("hitRate").isNull() ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * r.path("hitRate").asDouble()));
    }
    b.append(c.render(""));
    return b.toString();
  }

  /** Proxy cells by {@code mode/kind/threads}. */
  private Map<String, JsonNode> proxyCells() throws IOException {
    Map<String, JsonNode> cells = new LinkedHashMap<>();
    Path proxyDir = dir.resolve("proxy");
    if (!Files.isDirectory(proxyDir)) {
      return cells;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proxyDir, "*.json")) {
      ds.forEach(files::add);
    }
    files.sort(Comparator.comparing(Path::toString));
    for (Path f : files) {
      for (JsonNode c : MAPPER.readTree(f.toFile()).path("cells")) {
        cells.put(c.path("mode").asText() + "/" + c.path("kind").asText() + "/" + c.path("threads").asInt(), c);
      }
    }
    return cells;
  }

  private String proxy() throws IOException {
    Map<String, JsonNode> cells = proxyCells();
    Map<String, String> portkey = properties(dir.resolve("portkey.properties"));
    StringBuilder b = new StringBuilder();
    if (!portkey.isEmpty()) {
      if (portkey.containsKey("skipped")) {
        b.append("**Portkey: skipped**: ").append(portkey.get("skipped")).append("\n\n");
      } else {
        b.append("Portkey AI gateway `@portkey-ai/gateway@").append(portkey.getOrDefault("version", "?"))
            .append("` (with `@hono/node-server@").append(portkey.getOrDefault("honoNodeServer", "?")).append("`, `hono@")
            .append(portkey.getOrDefault("hono", "?")).append("`) on Node.js ").append(portkey.getOrDefault("node", "?"))
            .append(", listening on ").append(portkey.getOrDefault("listen", "?")).append("; connections or DNS lookups beyond "
                + "loopback that the guard refused: ").append(portkey.getOrDefault("blocked", "?").replaceFirst(" .*", ""))
            .append(".\n\n");
      }
    }
    if (cells.isEmpty()) {
      return b.append(notRun("proxy")).toString();
    }
    Table t = new Table("mode", "call", "threads", "p50 µs", "p90 µs", "p99 µs", "mean µs", "calls/s", "added p50 µs",
        "added mean µs", "× floor (p50)", "errors", "upstream conns");
    Table first = new Table("mode", "threads", "first chunk p50 µs", "p90 µs", "p99 µs", "added p50 µs", "× floor (p50)");
    Table added = new Table("call", "threads", "Portkey adds (p50 µs)", "aigw adds (p50 µs)", "Portkey ÷ aigw",
        "Portkey adds (mean µs)", "aigw adds (mean µs)", "calls/s: floor / aigw / Portkey");
    List<String> threadValues = cells.values().stream().map(c -> c.path("threads").asText()).distinct().toList();
    for (String threads : threadValues) {
      for (String kind : List.of("blocking", "stream")) {
        JsonNode floor = cells.get("floor/" + kind + "/" + threads);
        for (String mode : List.of("floor", "aigw", "portkey")) {
          JsonNode c = cells.get(mode + "/" + kind + "/" + threads);
          if (c == null) {
            continue;
          }
          String label = mode.equals("floor") ? "floor (baseline)" : mode.equals("aigw") ? "aigw in-process" : "via Portkey";
          t.row(label, kind, threads, num(c.path("p50Us").asDouble()), num(c.path("p90Us").asDouble()), num(c.path("p99Us").asDouble()),
              num(c.path("meanUs").asDouble()), rate(c.path("callsPerSecond").asDouble()),
              floor == null || mode.equals("floor") ? "–" : signed(c.path("p50Us").asDouble() - floor.path("p50Us").asDouble()),
              floor == null || mode.equals("floor") ? "–" : signed(c.path("meanUs").asDouble() - floor.path("meanUs").asDouble()),
              floor == null ? "–" : ratio(c.path("p50Us").asDouble() / floor.path("p50Us").asDouble()), c.path("errors").asText(),
              c.path("upstreamConnections").asText());
          if (kind.equals("stream") && c.has("firstChunkP50Us")) {
            first.row(label, threads, num(c.path("firstChunkP50Us").asDouble()), num(c.path("firstChunkP90Us").asDouble()),
                num(c.path("firstChunkP99Us").asDouble()),
                floor == null || mode.equals("floor") ? "–"
                    : signed(c.path("firstChunkP50Us").asDouble() - floor.path("firstChunkP50Us").asDouble()),
                floor == null ? "–" : ratio(c.path("firstChunkP50Us").asDouble() / floor.path("firstChunkP50Us").asDouble()));
          }
        }
        JsonNode a = cells.get("aigw/" + kind + "/" + threads);
        JsonNode p = cells.get("portkey/" + kind + "/" + threads);
        if (floor != null && a != null) {
          double aAdd = a.path("p50Us").asDouble() - floor.path("p50Us").asDouble();
          double aMean = a.path("meanUs").asDouble() - floor.path("meanUs").asDouble();
          String pAdd = p == null ? "skipped" : signed(p.path("p50Us").asDouble() - floor.path("p50Us").asDouble());
          String pMean = p == null ? "skipped" : signed(p.path("meanUs").asDouble() - floor.path("meanUs").asDouble());
          String x = p == null || aAdd <= 0 ? "–" : ratio((p.path("p50Us").asDouble() - floor.path("p50Us").asDouble()) / aAdd);
          added.row(kind, threads, pAdd, signed(aAdd), x, pMean, signed(aMean), rate(floor.path("callsPerSecond").asDouble())
              + " / " + rate(a.path("callsPerSecond").asDouble()) + " / " + (p == null ? "–" : rate(p.path("callsPerSecond").asDouble())));
        }
      }
    }
    b.append(added.render("Added latency per call = the mode's figure − the floor's (an OkHttp client straight to the "
        + "upstream), same run. \"Portkey ÷ aigw\" compares the two added latencies; it is \"–\" when aigw added nothing "
        + "measurable (its p50 at or below the floor's)."));
    b.append(t.render("Every cell: latency per call, end to end (blocking: the answer read; stream: the whole event stream "
        + "read). \"upstream conns\": TCP connections the upstream accepted while the cell was measured (for Portkey, its own "
        + "connections to the upstream); OkHttp's default pool keeps 5 idle connections, so 16 threads open new ones."));
    b.append(first.render("Streams: time to the first chunk with text."));
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // JMH results

  /** One JMH result: a benchmark method with one set of parameters at one thread count. */
  private static final class Jmh {
    String step = "";
    String jmhVersion = "";
    String cls = "";
    String method = "";
    int threads;
    Map<String, String> params = new TreeMap<>();
    double score;
    double error;
    String unit = "";
    @Nullable Double alloc;
    Map<String, Double> secondary = new TreeMap<>();

    static Jmh of(String step, JsonNode n) {
      Jmh j = new Jmh();
      j.step = step;
      j.jmhVersion = n.path("jmhVersion").asText();
      String full = n.path("benchmark").asText();
      String[] parts = full.split("\\.");
      j.method = parts[parts.length - 1];
      j.cls = parts.length > 1 ? parts[parts.length - 2] : "";
      j.threads = n.path("threads").asInt(1);
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("params").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        j.params.put(e.getKey(), e.getValue().asText());
      }
      JsonNode pm = n.path("primaryMetric");
      j.score = pm.path("score").asDouble();
      j.error = pm.path("scoreError").asDouble(Double.NaN);
      j.unit = pm.path("scoreUnit").asText();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("secondaryMetrics").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey().replace("·", "");
        double v = e.getValue().path("score").asDouble();
        j.secondary.put(name, v);
        if (name.equals("gc.alloc.rate.norm")) {
          j.alloc = v;
        }
      }
      return j;
    }

    boolean is(String c, String m) {
      return cls.equals(c) && method.equals(m);
    }

    String param(String name, String otherwise) {
      return params.getOrDefault(name, otherwise);
    }

    /** The score with its error, in the benchmark's unit. */
    String scoreText() {
      String s = num(score);
      if (Double.isNaN(error) || error == 0) {
        return s;
      }
      return s + " ± " + num(error);
    }
  }

  private static Predicate<Jmh> p(String name, String value) {
    return j -> value.equals(j.params.get(name));
  }

  @SafeVarargs
  private Optional<Jmh> find(String cls, String method, Predicate<Jmh>... filters) {
    return jmh.stream().filter(j -> j.is(cls, method) && j.threads == 1)
        .filter(j -> {
          for (Predicate<Jmh> f : filters) {
            if (!f.test(j)) {
              return false;
            }
          }
          return true;
        }).findFirst();
  }

  /** Every one-thread result of a method, in the order of its parameters (numbers by value). */
  private List<Jmh> all(String cls, String method) {
    return jmh.stream().filter(j -> j.is(cls, method) && j.threads == 1)
        .sorted(Comparator.comparing((Jmh j) -> j.params.toString(), ReportWriter::naturalCompare)).toList();
  }

  /** {@code results} sorted by where their parameter {@code name} stands in {@code order} (stable; others last). */
  private static List<Jmh> ordered(List<Jmh> results, String name, List<String> order) {
    return results.stream().sorted(Comparator.comparingInt((Jmh j) -> {
      int i = order.indexOf(j.param(name, ""));
      return i < 0 ? order.size() : i;
    })).toList();
  }

  /** Compares strings piece by piece, runs of digits by their value ("entries=10000" before "entries=100000"). */
  private static int naturalCompare(String a, String b) {
    Matcher ma = PIECE.matcher(a);
    Matcher mb = PIECE.matcher(b);
    while (ma.find() && mb.find()) {
      String x = ma.group();
      String y = mb.group();
      int c = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))
          ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)) : x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }

  private static final Pattern PIECE = Pattern.compile("\\d+|\\D+");

  // ---------------------------------------------------------------------------------------------
  // Markdown

  /** A markdown table with a caption above it. */
  private static final class Table {
    private final String[] head;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... head) {
      this.head = head;
    }

    void row(String... cells) {
      rows.add(cells);
    }

    String render(String caption) {
      if (rows.isEmpty()) {
        return caption.isBlank() ? "" : caption + "\n\n_Not measured in this run._\n\n";
      }
      StringBuilder b = new StringBuilder();
      if (!caption.isBlank()) {
        b.append(caption).append("\n\n");
      }
      b.append("| ").append(String.join(" | ", head)).append(" |\n|");
      for (int i = 0; i < head.length; i++) {
        b.append(i < 2 ? "---|" : "---:|");
      }
      b.append('\n');
      for (String[] r : rows) {
        b.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      return b.append('\n').toString();
    }
  }

  private String notRun(String step) {
    for (String[] st : steps) {
      if (at(st, 0).equals(step)) {
        return "_Step `" + step + "`: " + at(st, 4) + (at(st, 5).isBlank() ? "" : ": " + cell(at(st, 5))) + "._\n";
      }
    }
    return "_Step `" + step + "` was not run._\n";
  }

  private static double[] means(List<double[]> rows) {
    double[] m = new double[rows.get(0).length];
    for (double[] r : rows) {
      for (int i = 0; i < m.length; i++) {
        m[i] += r[i] / rows.size();
      }
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Files

  private @Nullable JsonNode read(String name) throws IOException {
    Path f = dir.resolve(name);
    return Files.isRegularFile(f) ? MAPPER.readTree(f.toFile()) : null;
  }

  /** {@code key=value} lines (split at the first '='), without Properties' escapes. */
  private static Map<String, String> properties(Path f) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.isRegularFile(f)) {
      return m;
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return m;
  }

  private static List<String[]> tsv(Path f) throws IOException {
    List<String[]> rows = new ArrayList<>();
    if (!Files.isRegularFile(f)) {
      return rows;
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(line.split("\t", -1));
      }
    }
    return rows;
  }

  private static String at(String[] row, int i) {
    return i < row.length ? Objects.requireNonNullElse(row[i], "") : "";
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
