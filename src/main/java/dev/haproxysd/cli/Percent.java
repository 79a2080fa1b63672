package dev.haproxysd.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 50%} or {@code 50}: a whole percentage from 0 to 100. */
final class Percent implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    String digits = value.strip();
    if (digits.endsWith("%")) {
      digits = digits.substring(0, digits.length() - 1);
    }
    try {
      int n = Integer.parseInt(digits);
      if (n >= 0 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new TypeConversionException("'" + value + "' is not a percentage from 0% to 100%");
  }
}
