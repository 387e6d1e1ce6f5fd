package dev.aigw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine-readable result of a harness: when {@code -Dout=FILE} is given, the harness writes
 * what it printed as JSON to that file too, for {@code report.sh} and {@link
 * dev.aigw.bench.report.ReportWriter}, which would otherwise have to scrape prose.
 */
final class JsonOut {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOut() {}

  /** Writes {@code value} (maps, lists, records, numbers, strings) to the file {@code -Dout} names, if it names one. */
  static void write(Object value) {
    String out = System.getProperty("out");
    if (out == null || out.isBlank()) {
      return;
    }
    try {
      Path path = Path.of(out);
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      MAPPER.writeValue(path.toFile(), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }
}
