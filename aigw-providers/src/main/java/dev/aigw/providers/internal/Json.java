package dev.aigw.providers.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one configured {@link ObjectMapper} every provider uses: unknown fields are ignored
 * (providers add fields all the time), nulls and empty optionals are not written.
 */
public final class Json {
  /** The shared mapper. Thread-safe; never reconfigure it. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private Json() {}

  /** Serialises a wire record. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Reads a wire record; {@link IOException} on malformed input. */
  public static <T> T read(byte[] bytes, Class<T> type) throws IOException {
    return MAPPER.readValue(bytes, type);
  }

  /** Reads a wire record from text; {@link IOException} on malformed input. */
  public static <T> T read(String text, Class<T> type) throws IOException {
    return MAPPER.readValue(text, type);
  }
}
