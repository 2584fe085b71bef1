package org.nsroot.cli.format;

import java.io.PrintStream;
import java.util.List;

/** Prints rows in left-aligned columns, as docker does. */
public final class Table {
  private Table() {}

  public static void print(PrintStream out, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] row : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int c = 0; c < cols; c++) {
        sb.append(row[c]);
        if (c < cols - 1) {
          sb.append(" ".repeat(width[c] - row[c].length() + 3));
        }
      }
      sb.append('\n');
    }
    out.print(sb);
  }
}
