package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.examples.QuickStart;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is real code: it is {@code aigw-examples}' {@link QuickStart}, which
 * Maven compiles, and it runs.
 *
 * <p>The rule: the README's java block under "## Quick start" must equal {@code QuickStart.java}
 * without its {@code package} line and its Javadoc comments ({@code /** ... *}{@code /}, which the
 * README does not show), comparing lines with trailing white space removed.
 */
class ReadmeQuickStartIT {
  private static final Pattern QUICK_START =
      Pattern.compile("## Quick start.*?```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PACKAGE_LINE = Pattern.compile("(?m)^package [\\w.]+;\\n(\\s*\\n)?");
  private static final Pattern JAVADOC = Pattern.compile("(?s)[ \\t]*/\\*\\*.*?\\*/[ \\t]*\\n");

  @Test
  void theQuickStartInTheReadmeIsQuickStartJava() throws Exception {
    Path readme = Path.of(System.getProperty("aigw.readme"));
    Matcher m = QUICK_START.matcher(Files.readString(readme));
    assertThat(m.find()).as("README has a java block under '## Quick start'").isTrue();
    Path source = readme.resolveSibling("aigw-examples/src/main/java/dev/aigw/examples/QuickStart.java");

    String example = JAVADOC.matcher(PACKAGE_LINE.matcher(Files.readString(source)).replaceFirst("")).replaceAll("");
    assertThat(normalized(m.group(1)))
        .as("the README's quick start must be %s without its package line and Javadoc: change both together", source)
        .isEqualTo(normalized(example));
  }

  @Test
  void theQuickStartFallsBackAndStreams() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      QuickStart.main(new String[0]);   // exactly the README's code, which prints to System.out
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines().findFirst()).hasValueSatisfying(first ->
        assertThat(first).contains("Paris").contains("served by anthropic/claude-3-5-haiku-latest"));
    assertThat(printed).contains("attempts: 2").containsPattern("cost: [0-9.]+ USD");
  }

  /** Lines without trailing white space, without blank lines at either end. */
  private static String normalized(String code) {
    return code.replaceAll("[ \\t]+(?=\\n|$)", "").strip();
  }
}
