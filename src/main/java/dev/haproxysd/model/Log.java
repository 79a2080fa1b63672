package dev.haproxysd.model;

/**
 * Where a run reports progress: always to stderr, never to stdout (stdout carries only the product). {@code
 * -v} shows {@link #debug}, {@code -q} hides {@link #info}; warnings always show.
 */
public interface Log {
  Log SILENT =
      new Log() {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
      };

  void debug(String message);

  void info(String message);

  void warn(String message);
}
