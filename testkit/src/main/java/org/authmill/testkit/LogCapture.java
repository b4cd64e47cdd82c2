package org.authmill.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Collects what a logger (and its children) logs while a test runs, formatted message plus any
 * exception, so a test can assert that a line was written, or that some text never was.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final List<String> lines = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          StringBuilder line =
              new StringBuilder(event.getLevel().toString())
                  .append(' ')
                  .append(event.getLoggerName())
                  .append(' ')
                  .append(event.getFormattedMessage());
          for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            for (var frame : t.getStackTraceElementProxyArray()) {
              line.append("\n\t").append(frame.getSTEAsString());
            }
          }
          synchronized (lines) {
            lines.add(line.toString());
          }
        }
      };

  private LogCapture(String name, Level level) {
    logger = (Logger) LoggerFactory.getLogger(name);
    previousLevel = logger.getLevel();
    if (level != null) {
      logger.setLevel(level);
    }
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures the logger {@code name} and its children at their configured level. */
  public static LogCapture of(String name) {
    return new LogCapture(name, null);
  }

  /** Captures the logger {@code name} and its children at {@code level} (restored on close). */
  public static LogCapture of(String name, Level level) {
    return new LogCapture(name, level);
  }

  /** Every line so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Every line so far as one text. */
  public String text() {
    return String.join("\n", lines());
  }

  /** Forgets the lines so far. */
  public void clear() {
    synchronized (lines) {
      lines.clear();
    }
  }

  /** Waits (bounded) until some line matches; true if one did. */
  public boolean await(Predicate<String> match, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (true) {
      if (lines().stream().anyMatch(match)) {
        return true;
      }
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
  }

  /** Waits (bounded) until a line contains the text; true if one did. */
  public boolean await(String text, Duration within) throws InterruptedException {
    return await(l -> l.contains(text), within);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(previousLevel);
  }
}
