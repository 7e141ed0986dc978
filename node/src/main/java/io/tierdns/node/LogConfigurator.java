package io.tierdns.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The node's logging, set up in code: lines to standard output as {@code HH:mm:ss.SSS LEVEL Logger
 * - message}, the root level from {@code TIERDNS_LOG_LEVEL} ({@code INFO} when unset or not a
 * level), Netty and Micronaut at {@code WARN}.
 *
 * <p>Logback reading the same from an XML file took about a tenth of a second of a node's start
 * on one core (its XML parser and configuration model, docs/benchmarks.md). An operator's own file
 * still wins: with {@code -Dlogback.configurationFile} set, or a {@code logback.xml} or {@code
 * logback-test.xml} on the class path, this steps aside and Logback reads that file as usual.
 * Registered through {@code META-INF/services}, which Logback asks before its own configurators.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null
        || LogConfigurator.class.getClassLoader().getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets {@code context} up as the class comment says. */
  static void apply(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.micronaut").setLevel(Level.WARN);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel(System.getenv("TIERDNS_LOG_LEVEL")));
    root.addAppender(console);
  }

  /** The root level named by {@code TIERDNS_LOG_LEVEL}, in any case; {@code INFO} otherwise. */
  static Level rootLevel(String name) {
    return Level.toLevel(name == null ? null : name.trim(), Level.INFO);
  }
}
