package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code jvm.compiler.json}, the compiler directives {@code jvm.options} gives every node
 * (docs/configuration.md, "Compiler directives"): the JVM must accept them, and each method they
 * name must still exist, since a renamed method would silently go back to the optimizing compiler.
 */
class CompilerDirectivesTest {

  private static final Path FILE = ConfigurationExamplesTest.REPO.resolve("jvm.compiler.json");
  /** A method pattern of a directive's "match": {@code pkg/Class.method} or {@code pkg/Class.*}. */
  private static final Pattern METHOD = Pattern.compile("\"([\\w/$]+)\\.([\\w*]+)\"");

  @Test
  void everyMethodNamedExists() throws Exception {
    Matcher m = METHOD.matcher(Files.readString(FILE));
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      Class<?> type = Class.forName(m.group(1).replace('/', '.'), false, getClass().getClassLoader());
      String name = m.group(2);
      if (!name.equals("*")) {
        assertThat(Arrays.stream(type.getDeclaredMethods()).map(Method::getName))
            .as("a method %s in %s", name, type.getName())
            .contains(name);
      }
      checked.add(m.group());
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void theJvmStartsWithTheOptionsAndTakesTheDirectives() throws Exception {
    String[] outErr = javaVersion();
    // On stderr: a node's standard output stays its own.
    assertThat(outErr[1]).contains("1 compiler directives added");
    assertThat(outErr[0]).isEmpty();
  }

  @Test
  void theOptionGivenAgainEmptyTurnsThemOff() throws Exception {
    // docs/configuration.md: JAVA_OPTS=-XX:CompilerDirectivesFile= (JAVA_OPTS come last)
    assertThat(javaVersion("-XX:CompilerDirectivesFile=")[1]).doesNotContain("compiler directives added");
  }

  /** {@code java -version} with jvm.options, then {@code more}; its stdout and stderr. */
  private static String[] javaVersion(String... more) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LauncherTest.defaults());
    command.addAll(List.of(more));
    command.add("-version");
    Process p = new ProcessBuilder(command).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isZero();
    return new String[] {out, err};
  }
}
