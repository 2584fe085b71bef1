package org.nsroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.rootfs.testing.HostileCases;

/** Catalogue A1–A21, B1–B5, C1–C5 in this JVM (as whoever runs the build, root here). */
class HostileLayersTest {
  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> hostileLayers() {
    return HostileCases.all().stream().map(c -> DynamicTest.dynamicTest(c.id(),
        () -> assertNull(HostileCases.execute(c, tmp), c.id())));
  }
}
