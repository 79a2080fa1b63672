package dev.haproxysd.cli;

/** A config file or a {@code HAPROXY_SD_*} variable that cannot be used; the message names file, line and key. */
final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }
}
