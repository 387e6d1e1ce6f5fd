package dev.aigw.core.prompt;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.core.prompt.internal.Names;
import dev.aigw.core.prompt.internal.PromptResources;
import dev.aigw.core.prompt.internal.WeightedVersions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Prompt templates by name and version, each name with a default version and optionally
 * weights for an A/B test between its versions. Immutable after {@link Builder#build()} and
 * thread-safe.
 *
 * <pre>{@code
 * PromptRegistry prompts = PromptRegistry.builder()
 *     .index("prompts/index.properties")                 // templates from the classpath
 *     .add(PromptTemplate.system("persona", "v1", "You are {{name}}."))
 *     .build();
 *
 * ChatRequest request = prompts.request("support-reply", Map.of("question", q), "chat", context);
 * ChatResponse answer = gateway.chat(request, context);
 * answer.metadata().prompt();                            // support-reply@v2, say
 * }</pre>
 *
 * <h2>The index</h2>
 *
 * <p>A properties file (UTF-8) on the classpath:
 *
 * <pre>
 * # name/version = file, relative to this index's folder ('/' first: from the classpath root)
 * support-reply/v1 = support-reply-v1.mustache
 * support-reply/v2 = support-reply-v2.mustache
 * support-reply.default = v1
 * # optional A/B test: 90 % of calls get v1, 10 % v2
 * support-reply.weights = v1:90, v2:10
 * </pre>
 *
 * <p>Files are in the {@linkplain PromptTemplate#parse text form of a message list}. Names and
 * versions are letters, digits, {@code '.'}, {@code '_'} and {@code '-'}.
 *
 * <h2>Which version</h2>
 *
 * <ul>
 *   <li>{@link #template(String, String)}: that version.
 *   <li>{@link #template(String)}: with weights, a random version by weight; otherwise the
 *       default: the one set ({@code name.default}, {@link Builder#defaultVersion}), or the only
 *       version. A name with several versions and neither a default nor weights is an error at
 *       build time.
 *   <li>{@link #stickyTemplate(String, String)}: with weights, the version a hash of the name and
 *       the key points to, so one conversation or user keeps one version (on every JVM, across
 *       restarts, as long as the weights stay); otherwise the default.
 *   <li>{@link #template(String, CallContext)}: sticky for the context's conversation, else its
 *       user, else its tenant; without any of them, as {@link #template(String)}.
 * </ul>
 */
public final class PromptRegistry {
  private record Prompt(Map<String, PromptTemplate> versions, @Nullable String defaultVersion, @Nullable WeightedVersions weights) {}

  private final Map<String, Prompt> prompts;
  private final @Nullable RandomGenerator random;

  private PromptRegistry(Map<String, Prompt> prompts, @Nullable RandomGenerator random) {
    this.prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
    this.random = random;
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the prompts' names, in the order added} */
  public Set<String> names() {
    return prompts.keySet();
  }

  /**
   * {@return the versions of {@code name}, in the order added} @throws PromptException when there
   * is no such prompt
   *
   * @param name the prompt's name
   */
  public Set<String> versions(String name) {
    return prompt(name).versions().keySet();
  }

  /**
   * {@return the default version of {@code name}; empty only for a prompt with weights and no
   * default} @throws PromptException when there is no such prompt
   *
   * @param name the prompt's name
   */
  public Optional<String> defaultVersion(String name) {
    return Optional.ofNullable(prompt(name).defaultVersion());
  }

  /**
   * {@return the A/B weights of {@code name}'s versions, by version; empty without weights} @throws
   * PromptException when there is no such prompt
   *
   * @param name the prompt's name
   */
  public Map<String, Integer> weights(String name) {
    WeightedVersions weights = prompt(name).weights();
    return weights == null ? Map.of() : weights.weights();
  }

  /**
   * {@return the version of {@code name} to use now: by weight at random when it has weights, else
   * its default}
   *
   * @param name the prompt's name
   * @throws PromptException when there is no such prompt
   */
  public PromptTemplate template(String name) {
    Prompt prompt = prompt(name);
    WeightedVersions weights = prompt.weights();
    if (weights == null) {
      return prompt.versions().get(Objects.requireNonNull(prompt.defaultVersion()));
    }
    double point;
    if (random == null) {
      point = ThreadLocalRandom.current().nextDouble();
    } else {
      synchronized (random) {
        point = random.nextDouble();
      }
    }
    return prompt.versions().get(weights.pick(point));
  }

  /**
   * {@return version {@code version} of {@code name}}
   *
   * @param name the prompt's name
   * @param version the version
   * @throws PromptException when there is no such prompt or version
   */
  public PromptTemplate template(String name, String version) {
    Objects.requireNonNull(version, "version");
    Prompt prompt = prompt(name);
    PromptTemplate template = prompt.versions().get(version);
    if (template == null) {
      throw new PromptException("prompt '" + name + "' has no version '" + version + "'; its versions are "
          + prompt.versions().keySet());
    }
    return template;
  }

  /**
   * {@return the version of {@code name} for {@code key} (a conversation, user or tenant id):
   * chosen by weight from a stable hash of the name and the key when the prompt has weights, so the
   * same key always gets the same version; else the default} The key is hashed, never kept or
   * reported.
   *
   * @param name the prompt's name
   * @param key a conversation, user or tenant id
   * @throws IllegalArgumentException when {@code key} is blank
   * @throws PromptException when there is no such prompt
   */
  public PromptTemplate stickyTemplate(String name, String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("a sticky key must not be blank");
    }
    Prompt prompt = prompt(name);
    WeightedVersions weights = prompt.weights();
    if (weights == null) {
      return prompt.versions().get(Objects.requireNonNull(prompt.defaultVersion()));
    }
    return prompt.versions().get(weights.pick(WeightedVersions.stickyPoint(name, key)));
  }

  /**
   * {@return the version of {@code name} for a call: {@link #stickyTemplate sticky} for the
   * context's {@linkplain CallContext#conversation() conversation}, else its {@linkplain
   * CallContext#user() user}, else its {@linkplain CallContext#tenant() tenant}; without any of
   * them, as {@link #template(String)}}
   *
   * @param name the prompt's name
   * @param context the call's context
   * @throws PromptException when there is no such prompt
   */
  public PromptTemplate template(String name, CallContext context) {
    Objects.requireNonNull(context, "context");
    Optional<String> key = context.conversation().or(context::user).or(context::tenant);
    return key.isPresent() ? stickyTemplate(name, key.get()) : template(name);
  }

  /**
   * {@return a request to {@code model} rendered from {@link #template(String) template(name)}}
   *
   * @param name the prompt's name
   * @param variables the template's variables, by name
   * @param model a route alias or {@code "provider/model"}
   * @throws PromptException when there is no such prompt or the variables do not fit it
   */
  public ChatRequest request(String name, Map<String, ?> variables, String model) {
    return template(name).render(variables).toRequest(model);
  }

  /**
   * {@return a request to {@code model} rendered from {@link #template(String, CallContext)
   * template(name, context)}: the version sticks to the context's conversation, user or tenant}
   * Pass the same context to the gateway call.
   *
   * @param name the prompt's name
   * @param variables the template's variables, by name
   * @param model a route alias or {@code "provider/model"}
   * @param context the call's context
   * @throws PromptException when there is no such prompt or the variables do not fit it
   */
  public ChatRequest request(String name, Map<String, ?> variables, String model, CallContext context) {
    return template(name, context).render(variables).toRequest(model);
  }

  private Prompt prompt(String name) {
    Prompt prompt = prompts.get(Objects.requireNonNull(name, "name"));
    if (prompt == null) {
      throw new PromptException("no prompt named '" + name + "'; the registry has " + prompts.keySet());
    }
    return prompt;
  }

  /** The names, with their versions, defaults and weights. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    prompts.forEach((name, p) -> parts.add(name + p.versions().keySet()
        + (p.defaultVersion() == null ? "" : " default " + p.defaultVersion())
        + (p.weights() == null ? "" : " weights " + p.weights().weights())));
    return "PromptRegistry" + parts;
  }

  /**
   * Builds a {@link PromptRegistry}. The setters check their arguments at once; resources are read
   * and everything is checked together by {@link #build()}.
   */
  public static final class Builder {
    private final List<Consumer<Assembly>> sources = new ArrayList<>();
    private @Nullable ClassLoader classLoader;
    private @Nullable RandomGenerator random;

    private Builder() {}

    /**
     * Adds a template built in code.
     *
     * @param template the template
     * @return this builder
     */
    public Builder add(PromptTemplate template) {
      Objects.requireNonNull(template, "template");
      sources.add(a -> a.template(template, "add(" + template.ref() + ")"));
      return this;
    }

    /**
     * Adds version {@code version} of {@code name} from a classpath resource in the {@linkplain
     * PromptTemplate#parse text form}; {@code path} is from the classpath root.
     *
     * @param name the prompt's name
     * @param version the version
     * @param path the resource's path
     * @return this builder
     * @throws IllegalArgumentException when the name or version is not of the allowed form, or the path is blank
     */
    public Builder resource(String name, String version, String path) {
      Names.check(name, "prompt name");
      Names.check(version, "prompt version");
      String resource = PromptResources.normalize(nonBlank(path, "path"));
      sources.add(a -> a.template(a.load(name, version, resource), "resource " + resource));
      return this;
    }

    /**
     * Adds the templates, defaults and weights of an index resource (see {@link PromptRegistry}).
     *
     * @param path the index resource's path
     * @return this builder
     * @throws IllegalArgumentException when the path is blank
     */
    public Builder index(String path) {
      String index = PromptResources.normalize(nonBlank(path, "path"));
      sources.add(a -> {
        PromptResources.Index read = PromptResources.readIndex(a.loader, index);
        String origin = "index " + read.path();
        for (PromptResources.Entry e : read.templates()) {
          a.template(a.load(e.name(), e.version(), e.path()), origin);
        }
        read.defaults().forEach((name, version) -> a.setDefault(name, version, origin));
        read.weights().forEach((name, weights) -> a.setWeights(name, weights, origin));
      });
      return this;
    }

    /**
     * The default version of {@code name}, which {@link PromptRegistry#template(String)} returns
     * when the prompt has no weights.
     *
     * @param name the prompt's name
     * @param version its default version
     * @return this builder
     * @throws IllegalArgumentException when the name or version is not of the allowed form
     */
    public Builder defaultVersion(String name, String version) {
      Names.check(name, "prompt name");
      Names.check(version, "prompt version");
      sources.add(a -> a.setDefault(name, version, "defaultVersion(" + name + ", " + version + ")"));
      return this;
    }

    /**
     * Weights for an A/B test between versions of {@code name}, such as {@code Map.of("v1", 90,
     * "v2", 10)}: the share of calls each version gets. Versions not named get no calls from
     * {@link PromptRegistry#template(String)} but stay reachable by exact version.
     *
     * @param name the prompt's name
     * @param weights the weight of each version
     * @return this builder
     * @throws PromptException when {@code weights} is empty, or a version is invalid or its weight not positive
     */
    public Builder weights(String name, Map<String, Integer> weights) {
      Names.check(name, "prompt name");
      WeightedVersions parsed = WeightedVersions.of(Objects.requireNonNull(weights, "weights"), "weights of " + name);
      sources.add(a -> a.setWeights(name, parsed, "weights(" + name + ", " + parsed.weights() + ")"));
      return this;
    }

    /**
     * Where resources are read from; the thread's context class loader (else this library's) by
     * default.
     *
     * @param classLoader where resources are read from; the thread's context class loader (else
     *     this library's) by default
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * The generator of random A/B choices, such as a seeded {@link java.util.SplittableRandom} in
     * tests; it is used under a lock. {@link ThreadLocalRandom} by default.
     *
     * @param random the generator of random A/B choices, such as a seeded {@link
     *     java.util.SplittableRandom} in tests; it is used under a lock
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Reads the resources and builds the registry.
     *
     * @return the new {@code PromptRegistry}
     * @throws PromptException naming the entry for a missing or malformed resource or index, a
     *     template that does not compile, a {@code name@version} added twice, a default or weights
     *     set twice or naming an unknown version, or a prompt with several versions and neither a
     *     default nor weights
     */
    public PromptRegistry build() {
      ClassLoader loader = classLoader != null ? classLoader
          : Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(), PromptRegistry.class.getClassLoader());
      Assembly assembly = new Assembly(loader);
      sources.forEach(s -> s.accept(assembly));
      return new PromptRegistry(assembly.finish(), random);
    }

    private static String nonBlank(String value, String what) {
      if (Objects.requireNonNull(value, what).isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }

  /** Collects templates, defaults and weights with where each came from, for messages. */
  private static final class Assembly {
    private final ClassLoader loader;
    private final Map<String, Map<String, PromptTemplate>> versions = new LinkedHashMap<>();
    private final Map<String, String> origins = new HashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, WeightedVersions> weights = new LinkedHashMap<>();

    Assembly(ClassLoader loader) {
      this.loader = loader;
    }

    PromptTemplate load(String name, String version, String path) {
      String text = PromptResources.read(loader, path, "prompt " + name + "@" + version);
      try {
        return PromptTemplate.parse(name, version, text);
      } catch (PromptException e) {
        throw new PromptException(e.getMessage() + " (resource " + path + ")", e.prompt().orElse(null),
            e.variable().orElse(null), e);
      }
    }

    void template(PromptTemplate template, String origin) {
      String key = template.ref().toString();
      String before = origins.putIfAbsent(key, origin);
      if (before != null) {
        throw new PromptException("prompt " + key + " is defined twice: by " + before + " and by " + origin,
            template.ref(), null, null);
      }
      versions.computeIfAbsent(template.name(), n -> new LinkedHashMap<>()).put(template.version(), template);
    }

    void setDefault(String name, String version, String origin) {
      String before = origins.putIfAbsent(name + ".default", origin);
      if (before != null) {
        throw new PromptException("the default version of prompt '" + name + "' is set twice: by " + before + " and by " + origin);
      }
      defaults.put(name, version);
    }

    void setWeights(String name, WeightedVersions w, String origin) {
      String before = origins.putIfAbsent(name + ".weights", origin);
      if (before != null) {
        throw new PromptException("the weights of prompt '" + name + "' are set twice: by " + before + " and by " + origin);
      }
      weights.put(name, w);
    }

    Map<String, Prompt> finish() {
      for (String name : defaults.keySet()) {
        requireVersions(name, ".default");
      }
      for (String name : weights.keySet()) {
        requireVersions(name, ".weights");
      }
      Map<String, Prompt> prompts = new LinkedHashMap<>();
      versions.forEach((name, byVersion) -> {
        String chosen = defaults.get(name);
        WeightedVersions w = weights.get(name);
        if (chosen != null && !byVersion.containsKey(chosen)) {
          throw new PromptException("prompt '" + name + "': the default version '" + chosen + "' (set by "
              + origins.get(name + ".default") + ") is not among its versions " + byVersion.keySet());
        }
        if (w != null) {
          for (String version : w.weights().keySet()) {
            if (!byVersion.containsKey(version)) {
              throw new PromptException("prompt '" + name + "': the weights (set by " + origins.get(name + ".weights")
                  + ") name version '" + version + "', which is not among its versions " + byVersion.keySet());
            }
          }
        }
        if (chosen == null && byVersion.size() == 1) {
          chosen = byVersion.keySet().iterator().next();
        }
        if (chosen == null && w == null) {
          throw new PromptException("prompt '" + name + "' has versions " + byVersion.keySet() + " and no default: set "
              + name + ".default = <version> in the index, or call defaultVersion(\"" + name + "\", <version>)");
        }
        prompts.put(name, new Prompt(Collections.unmodifiableMap(byVersion), chosen, w));
      });
      return prompts;
    }

    private void requireVersions(String name, String suffix) {
      if (!versions.containsKey(name)) {
        throw new PromptException("prompt '" + name + "' has no versions, but " + (suffix.equals(".default")
            ? "a default version is" : "weights are") + " set for it by " + origins.get(name + suffix));
      }
    }
  }
}
