package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start is real code: extracted from README.md, compiled, and run. */
class ReadmeQuickStartIT {
  private static final Pattern QUICK_START =
      Pattern.compile("## Quick start.*?```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theQuickStartInTheReadmeCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("aigw.readme")));
    Matcher m = QUICK_START.matcher(readme);
    assertThat(m.find()).as("README has a java block under '## Quick start'").isTrue();
    Path source = dir.resolve("QuickStart.java");
    Files.writeString(source, m.group(1));

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status = compiler.run(null, diagnostics, diagnostics,
        "--release", "17", "-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), source.toString());
    assertThat(status).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      Method main = loader.loadClass("QuickStart").getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).first().asString().contains("Paris").contains("anthropic/claude-3-5-haiku-latest");
    assertThat(String.join("\n", lines)).contains("attempts: 2");
  }
}
