package dev.haproxysd.cli;

import dev.haproxysd.fleet.S3Location;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where {@code --inventory} reads: a file, {@code -} (standard input) or a shared inventory {@code s3://BUCKET/KEY}.
 * Exactly one of the two is set.
 */
record InventoryLocation(Path file, S3Location s3) {
  InventoryLocation {
    if ((file == null) == (s3 == null)) {
      throw new IllegalArgumentException("an inventory is a file or an S3 object");
    }
  }

  // Written out: a record's generated methods link through ObjectMethods on first use (see model/Sha256).
  @Override
  public boolean equals(Object other) {
    return other instanceof InventoryLocation that && Objects.equals(file, that.file) && Objects.equals(s3, that.s3);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(file) + Objects.hashCode(s3);
  }

  @Override
  public String toString() {
    return "InventoryLocation[file=" + file + ", s3=" + s3 + "]";
  }

  /** {@code s3:...} must be a valid S3 URL (a typo is a usage error, not a missing file); anything else is a path. */
  static final class Converter implements ITypeConverter<InventoryLocation> {
    @Override
    public InventoryLocation convert(String value) {
      if (S3Location.looksLikeS3(value)) {
        try {
          return new InventoryLocation(null, S3Location.parse(value));
        } catch (IllegalArgumentException e) {
          throw new TypeConversionException(e.getMessage());
        }
      }
      return new InventoryLocation(Path.of(value), null);
    }
  }

  /** {@code --publish}: only an S3 URL. */
  static final class S3Converter implements ITypeConverter<S3Location> {
    @Override
    public S3Location convert(String value) {
      try {
        return S3Location.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
