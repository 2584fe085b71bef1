package org.nsroot.cli.commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nsroot.cli.NsrootCommand;
import picocli.CommandLine;

/**
 * Help reads well at picocli's 80 columns: descriptions are whole paragraphs, which picocli wraps,
 * or preformatted lines (indented) that fit. A paragraph broken by hand at another width leaves
 * orphaned fragments on lines of their own.
 */
class HelpTextTest {
  private static final int WIDTH = 80;

  @Test
  void descriptionsAreParagraphsOrFittingPreformattedLines() {
    CommandLine top = NsrootCommand.commandLine(new String[0]);
    List<String> problems = new ArrayList<>();
    check("nsroot", top, problems);
    for (Map.Entry<String, CommandLine> sub : top.getSubcommands().entrySet()) {
      check(sub.getKey(), sub.getValue(), problems);
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static void check(String name, CommandLine cl, List<String> problems) {
    List<String> elements = new ArrayList<>(List.of(cl.getCommandSpec().usageMessage().description()));
    elements.addAll(List.of(cl.getCommandSpec().usageMessage().footer()));
    for (String element : elements) {
      String e = element.replaceAll("(%n)+$", ""); // picocli's line break, as its own help command ends
      if (e.startsWith("  ") ? e.length() > WIDTH : !(e.isEmpty() || e.matches("(?s).*[.:)]$"))) {
        problems.add(name + ": \"" + e + "\"");
      }
    }
    for (String line : cl.getUsageMessage().split("\n")) {
      if (line.length() > WIDTH) {
        problems.add(name + " help line over " + WIDTH + " columns: " + line);
      }
    }
  }
}
