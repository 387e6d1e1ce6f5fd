package dev.aigw.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A Lua script shipped as resources of this package, run by its SHA-1 ({@code EVALSHA}, one round
 * trip); when the server does not know it (first use, or after a restart) it is sent whole once.
 */
final class LuaScript {
  private final byte[] source;
  private final String sha;
  private final ScriptOutputType output;

  private LuaScript(String source, ScriptOutputType output) {
    this.source = source.getBytes(StandardCharsets.UTF_8);
    this.output = output;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  }

  /** The resources {@code names}, concatenated, as one script. */
  static LuaScript load(ScriptOutputType output, String... names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + name);
        }
        text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new LuaScript(text.toString(), output);
  }

  /** Runs the script with {@code keys} and {@code args}, waiting at most {@code maxWait}. */
  <T> T run(RedisConnection redis, byte[][] keys, byte[][] args, Duration maxWait) {
    try {
      return redis.call(c -> c.evalsha(sha, output, keys, args), maxWait);
    } catch (RedisNoScriptException e) {
      return redis.call(c -> c.eval(source, output, keys, args), maxWait);
    }
  }
}
