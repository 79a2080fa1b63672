package dev.haproxysd.discovery;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryFormatException;
import dev.haproxysd.model.InventoryJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads an inventory file written by {@code discover -o json}, or standard input for {@code -}. */
final class FileSource implements Source {
  private final Path path;
  private final InputStream stdin;

  FileSource(Path path, InputStream stdin) {
    this.path = path;
    this.stdin = stdin;
  }

  @Override
  public boolean readsInventory() {
    return true;
  }

  @Override
  public Inventory discover() {
    boolean useStdin = path.toString().equals("-");
    String name = useStdin ? "<stdin>" : path.toString();
    try (Reader reader =
        useStdin
            ? new InputStreamReader(stdin, StandardCharsets.UTF_8)
            : Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return InventoryJson.read(reader, name);
    } catch (NoSuchFileException e) {
      throw new InventoryFormatException(name + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read inventory " + name + ": " + e.getMessage(), e);
    }
  }
}
