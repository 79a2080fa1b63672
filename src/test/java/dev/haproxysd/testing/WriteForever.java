package dev.haproxysd.testing;

import dev.haproxysd.state.AtomicFile;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Replaces TARGET with AtomicFile.write forever, alternating two large contents (all 'a', all 'b'), printing a line
 * after each write — a process to SIGKILL at an arbitrary moment. Usage: {@code WriteForever TARGET SIZE}
 */
public final class WriteForever {
  private WriteForever() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    int size = Integer.parseInt(args[1]);
    byte[] a = new byte[size];
    byte[] b = new byte[size];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    for (long i = 0; ; i++) {
      AtomicFile.write(target, i % 2 == 0 ? a : b);
      System.out.println("wrote " + i);
      System.out.flush();
    }
  }
}
