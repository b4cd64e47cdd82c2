package org.authmill.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The MESSAGE argument of verify and sign: a file, or {@code -} for standard input. */
final class MessageInput {
  private MessageInput() {}

  static InputStream open(String argument) {
    if (argument == null || argument.equals("-")) {
      return new FilterInputStream(System.in) {
        @Override
        public void close() {
          // standard input stays open
        }
      };
    }
    Path file = Path.of(argument);
    try {
      if (Files.isDirectory(file)) {
        throw new InputException(argument + " is a directory, not a message file");
      }
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new InputException("no such message file: " + argument, e);
    } catch (IOException e) {
      throw new InputException("cannot read " + argument + ": " + e.getMessage(), e);
    }
  }
}
