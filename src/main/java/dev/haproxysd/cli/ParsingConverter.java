package dev.haproxysd.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A converter from a parse or check method whose IllegalArgumentException says what is wrong with the value; picocli
 * puts the option's name in front of it.
 */
abstract class ParsingConverter<T> implements ITypeConverter<T> {
  private final Function<String, T> parse;

  ParsingConverter(Function<String, T> parse) {
    this.parse = parse;
  }

  @Override
  public T convert(String value) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
