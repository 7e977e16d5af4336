package org.klaviyosync.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the drivers folder is, and which drivers it adds (loading from it end to end: DriversFolderEndToEndTest). */
class DriverFolderTest {

    @TempDir
    Path work;

    @Test
    void theFolderIsDriversInTheWorkingDirectoryOrDriversDir() {
        assertEquals(work.resolve("drivers"), DriverFolder.location(Map.of(), work));
        assertEquals(work.resolve("drivers"), DriverFolder.location(Map.of("DRIVERS_DIR", " "), work));
        assertEquals(Path.of("/opt/jdbc"), DriverFolder.location(Map.of("DRIVERS_DIR", "/opt/jdbc"), work));
        assertEquals(work.resolve("lib/jdbc"), DriverFolder.location(Map.of("DRIVERS_DIR", "lib/jdbc"), work));
    }

    @Test
    void noFolderOrAFolderWithoutJarsAddsNothing() throws Exception {
        assertEquals(List.of(), DriverFolder.load(work.resolve("drivers")));
        Path drivers = Files.createDirectories(work.resolve("drivers"));
        Files.writeString(drivers.resolve("README.txt"), "put driver jars here");
        assertEquals(List.of(), DriverFolder.load(drivers));
    }

    @Test
    void aDriverTheApplicationAlreadyHasStaysTheApplicationsOwn() throws Exception {
        // this JVM has SQLite's driver on its class path (test scope): a copy in the folder adds no second one
        Path jar = Path.of(org.sqlite.JDBC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path drivers = Files.createDirectories(work.resolve("drivers"));
        Files.copy(jar, drivers.resolve(jar.getFileName()));
        assertEquals(List.of(), DriverFolder.load(drivers));
    }
}
