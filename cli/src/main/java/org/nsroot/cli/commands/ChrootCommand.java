package org.nsroot.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.NsrootCommand;
import org.nsroot.fetch.store.Store;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperCommandLine;
import org.nsroot.runtime.launch.Handover;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nsroot chroot [OPTIONS] DIR [CMD [ARG]...]}: the helper's chroot-like interface on any
 * directory, such as a {@code docker export} tree. The arguments go to the helper as written.
 */
@Command(name = "chroot",
    description = {"Run a command in any directory as its root, in fresh namespaces.",
        "",
        "As nsroot run does for images, with the interface of the original nsroot. The options are "
            + "nsroot-exec's:",
        "  -v SRC:DST[:ro|rw]  bind mount          -r                read-only root",
        "  --writable          throw-away overlay  -e KEY=VAL|KEY    environment",
        "  -w DIR              working dir         --hostname NAME   host name",
        "  --uid N --gid N     identity inside     --share-net       host network",
        "  --timeout SECONDS   time limit          --rlimit NAME=SOFT[:HARD]",
        "  -M/-G 'IN OUT N'    raw id maps         -k -o NAME        keep the old root",
        "Run 'nsroot chroot --help-helper' for the full list."},
    mixinStandardHelpOptions = false)
public final class ChrootCommand implements Callable<Integer>, NsrootCommand.RunsPrograms {
  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "[OPTIONS] DIR [CMD [ARG]...]")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    HelperBinary helper = HelperBinary.install(store.root().resolve("bin"));
    List<String> passed = new ArrayList<>(args);
    if (passed.equals(List.of("--help-helper"))) {
      passed = List.of("--help");
    }
    Handover.to(helper, HelperCommandLine.forArguments(helper, passed));
    return 0;
  }
}
