package dev.haproxysd.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Whitelists for everything that may reach an haproxy directive. Values that fail are refused, never escaped:
 * haproxy has no quoting that is safe for untrusted text (see HAPROXY.md, "Injection").
 */
public final class SafeValue {
  /** Characters haproxy accepts in proxy, server and ACL names. */
  public static final String NAME_CHARS = "[A-Za-z0-9_.:-]";

  public static final int MAX_NAME_LENGTH = 128;
  public static final int MAX_VALUE_LENGTH = 255;
  public static final int MAX_HOST_LENGTH = 253;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
  // No whitespace, '#', quotes, backslash, '$' (env expansion), '%' (log-format), ';' (runtime API), ',' or
  // brackets (converter arguments); not starting with '-' so it cannot pass for an option.
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_./:@+=][A-Za-z0-9_./:@+=-]*");
  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private SafeValue() {}

  /** A proxy or server name: {@code [A-Za-z0-9_.:-]}, 1 to 128 characters. */
  public static String name(String field, String value) {
    return matchOrRefuse(field, value, NAME, MAX_NAME_LENGTH, "_.:-");
  }

  /**
   * A short free value from a tag, attribute or {@code --var} that a template may place in a directive: letters,
   * digits and {@code _ . / : @ + = -}, at most 255 characters, not starting with {@code -}.
   */
  public static String value(String field, String value) {
    return matchOrRefuse(field, value, VALUE, MAX_VALUE_LENGTH, "_./:@+=-");
  }

  /** A DNS host name (RFC 1123, lower case), e.g. for a Host-header rule. Upper case is folded. */
  public static String hostName(String field, String value) {
    requireBasics(field, value, MAX_HOST_LENGTH);
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    String trimmed = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    for (String label : trimmed.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        throw refuse(field, value, "is not a host name (labels of a-z, 0-9 and inner '-', joined by '.')");
      }
    }
    return trimmed;
  }

  /** Parses an IPv4 or IPv6 literal without ever asking DNS. */
  public static InetAddress address(String field, String value) {
    requireBasics(field, value, 64);
    try {
      if (IPV4.matcher(value).matches()) {
        return InetAddress.getByName(value);
      }
      if (value.indexOf(':') >= 0 && IPV6_CHARS.matcher(value).matches()) {
        // Brackets make the JDK insist on a literal: it never falls back to a DNS lookup.
        return InetAddress.getByName("[" + value + "]");
      }
    } catch (UnknownHostException e) {
      // fall through to the refusal below
    }
    throw refuse(field, value, "is not an IP address literal");
  }

  public static int port(String field, long value) {
    if (value < 1 || value > 65535) {
      throw new UnsafeValueException(field + ": port " + value + " is outside 1-65535");
    }
    return (int) value;
  }

  public static int weight(String field, long value) {
    if (value < 0 || value > 256) {
      throw new UnsafeValueException(field + ": weight " + value + " is outside 0-256");
    }
    return (int) value;
  }

  /** The address as haproxy reads it before {@code :port}: IPv6 in brackets. */
  public static String endpoint(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** A value quoted for a message: escaped, cut to 40 characters, so hostile text cannot forge output lines. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("'");
    int shown = Math.min(value.length(), 40);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\'' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (value.length() > shown) {
      b.append("...");
    }
    return b.append('\'').toString();
  }

  private static String matchOrRefuse(String field, String value, Pattern pattern, int max, String punctuation) {
    requireBasics(field, value, max);
    if (!pattern.matcher(value).matches()) {
      String allowed = "ASCII letters, digits and " + String.join(" ", punctuation.split(""));
      throw refuse(field, value, firstProblem(value, punctuation) + " (allowed: " + allowed + ")");
    }
    return value;
  }

  private static void requireBasics(String field, String value, int max) {
    if (value == null || value.isEmpty()) {
      throw new UnsafeValueException(field + ": must not be empty");
    }
    if (value.length() > max) {
      throw new UnsafeValueException(
          field + ": value " + quote(value) + " is " + value.length() + " characters long (at most " + max + ")");
    }
  }

  private static UnsafeValueException refuse(String field, String value, String why) {
    return new UnsafeValueException(field + ": unsafe value " + quote(value) + " " + why);
  }

  private static String firstProblem(String value, String punctuation) {
    if (value.startsWith("-")) {
      return "starts with '-'";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        return "contains a line break";
      }
      if (c == ' ' || c == '\t') {
        return "contains white space";
      }
      if (c < 0x20 || c == 0x7f) {
        return String.format("contains control character U+%04X", (int) c);
      }
      if (c > 0x7e) {
        return String.format("contains non-ASCII character U+%04X", (int) c);
      }
      if (!Character.isLetterOrDigit(c) && punctuation.indexOf(c) < 0) {
        return "contains '" + c + "'";
      }
    }
    return "contains a character that is not allowed";
  }
}
