package io.tierdns.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogConfiguratorTest {

  @Test
  void logbackFindsItAndTheNodeLogsAsTheDocsSay() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(p -> (Object) p.type()))
        .contains(LogConfigurator.class);
    // This JVM's own context was set up by it: no logback.xml is on the node's class path.
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger("ROOT").getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class);
  }

  @Test
  void applySetsTheAppenderThePatternAndTheLevels() {
    LoggerContext context = new LoggerContext();
    LogConfigurator.apply(context);
    ConsoleAppender<?> console = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("STDOUT");
    assertThat(console.isStarted()).isTrue();
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
        .isEqualTo("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.micronaut").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void anOperatorsOwnLogbackFileWins() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/etc/tierdns/logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      LogConfigurator configurator = new LogConfigurator();
      configurator.setContext(context);
      assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger("ROOT").getAppender("STDOUT")).isNull();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }

  @Test
  void theRootLevelComesFromTierdnsLogLevelAndIsInfoOtherwise() {
    assertThat(LogConfigurator.rootLevel(null)).isEqualTo(Level.INFO);
    assertThat(LogConfigurator.rootLevel("")).isEqualTo(Level.INFO);
    assertThat(LogConfigurator.rootLevel("debug")).isEqualTo(Level.DEBUG);
    assertThat(LogConfigurator.rootLevel(" WARN ")).isEqualTo(Level.WARN);
    assertThat(LogConfigurator.rootLevel("loud")).isEqualTo(Level.INFO);
  }
}
