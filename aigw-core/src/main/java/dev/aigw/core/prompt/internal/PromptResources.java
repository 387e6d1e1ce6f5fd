package dev.aigw.core.prompt.internal;

import dev.aigw.core.prompt.PromptException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads prompt files and prompt indexes from the classpath. */
public final class PromptResources {
  private PromptResources() {}

  /** One template of an index. */
  public record Entry(String name, String version, String path) {}

  /**
   * A parsed index.
   *
   * @param path the index's resource path
   * @param templates the {@code name/version = path} entries, paths resolved
   * @param defaults the {@code name.default = version} entries
   * @param weights the {@code name.weights = v1:90, v2:10} entries
   */
  public record Index(String path, List<Entry> templates, Map<String, String> defaults, Map<String, WeightedVersions> weights) {}

  /** {@code path} without a leading {@code '/'}, as class loaders want it. */
  public static String normalize(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /**
   * The text of a UTF-8 resource.
   *
   * @param what what is read, for messages, such as {@code "prompt support@v1"}
   * @throws PromptException when the resource is missing, unreadable or not UTF-8
   */
  public static String read(ClassLoader loader, String path, String what) {
    String resource = normalize(path);
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new PromptException(what + ": resource '" + resource + "' not found on the classpath");
      }
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in.readAllBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PromptException(what + ": resource '" + resource + "' is not UTF-8 text", null, null, e);
    } catch (IOException e) {
      throw new PromptException(what + ": cannot read resource '" + resource + "': " + e.getMessage(), null, null, e);
    }
  }

  /**
   * Reads an index: a properties file whose keys are {@code name/version} (value: the template's
   * path, relative to the index's folder, or from the classpath root when it starts with {@code
   * '/'}), {@code name.default} (value: a version) and {@code name.weights} (value: {@code
   * v1:90, v2:10}).
   *
   * @throws PromptException naming the index and the entry for a missing index, a key that is
   *     none of these, a key given twice, an invalid name or version, or malformed weights
   */
  public static Index readIndex(ClassLoader loader, String path) {
    String index = normalize(path);
    String text = read(loader, index, "prompt index");
    Map<String, String> entries = new LinkedHashMap<>();
    Properties properties = new Properties() {
      @Override
      public synchronized Object put(Object key, Object value) {
        if (entries.putIfAbsent((String) key, ((String) value).strip()) != null) {
          throw new PromptException("prompt index " + index + ": '" + key + "' is given twice");
        }
        return super.put(key, value);
      }
    };
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      if (e instanceof PromptException p) {
        throw p;
      }
      throw new PromptException("prompt index " + index + " cannot be read: " + e.getMessage(), null, null, e);
    }
    String folder = index.contains("/") ? index.substring(0, index.lastIndexOf('/') + 1) : "";
    List<Entry> templates = new ArrayList<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    Map<String, WeightedVersions> weights = new LinkedHashMap<>();
    entries.forEach((key, value) -> {
      String entry = "prompt index " + index + ", entry '" + key + "'";
      if (value.isEmpty()) {
        throw new PromptException(entry + ": has no value");
      }
      int slash = key.indexOf('/');
      if (slash >= 0) {
        String name = key.substring(0, slash);
        String version = key.substring(slash + 1);
        if (!Names.valid(name) || !Names.valid(version)) {
          throw new PromptException(entry + ": expected name/version, each letters, digits, '.', '_' or '-'");
        }
        templates.add(new Entry(name, version, value.startsWith("/") ? value.substring(1) : folder + value));
      } else if (key.endsWith(".default")) {
        String name = nameOf(key, ".default", entry);
        if (!Names.valid(value)) {
          throw new PromptException(entry + ": '" + value + "' is not a valid version name");
        }
        defaults.put(name, value);
      } else if (key.endsWith(".weights")) {
        weights.put(nameOf(key, ".weights", entry), WeightedVersions.parse(value, entry));
      } else {
        throw new PromptException(entry + ": unknown key; expected name/version = path, name.default = version "
            + "or name.weights = v1:90, v2:10");
      }
    });
    return new Index(index, List.copyOf(templates), defaults, weights);
  }

  private static String nameOf(String key, String suffix, String entry) {
    String name = key.substring(0, key.length() - suffix.length());
    if (!Names.valid(name)) {
      throw new PromptException(entry + ": '" + name + "' is not a valid prompt name");
    }
    return name;
  }
}
