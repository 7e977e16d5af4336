package org.klaviyosync.warehouse;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.WarehouseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDBC driver jars dropped in a folder, loaded at start-up: {@code java -jar} ignores the class
 * path, so a warehouse whose driver does not ship in the jar gets it from here. The folder is
 * {@code drivers/} in the working directory (the project root), or the one named by
 * {@code DRIVERS_DIR}. Every driver the jars declare ({@code META-INF/services/java.sql.Driver},
 * as JDBC 4 drivers do) is registered with {@link DriverManager}, where the connection pools find
 * it by the JDBC URL.
 */
public final class DriverFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DriverFolder.class);

    private DriverFolder() {
    }

    /** {@code DRIVERS_DIR} if set, else {@code drivers/}, of {@code workingDir}. */
    public static Path location(Map<String, String> env, Path workingDir) {
        // read before application.properties is: the setting is environment-only
        return workingDir.resolve(Settings.of(Map.of(), env).get(WarehouseSettings.DRIVERS_DIR));
    }

    /**
     * Loads the jars of {@code folder} (nothing when it does not exist) and registers the drivers
     * they declare; returns their class names. Drivers the application already has are left to it.
     */
    public static List<String> load(Path folder) {
        List<Path> jars = jars(folder);
        if (jars.isEmpty()) {
            return List.of();
        }
        URLClassLoader loader = new URLClassLoader("drivers", urls(jars), DriverFolder.class.getClassLoader());
        List<String> loaded = new ArrayList<>();
        Iterator<Driver> found = ServiceLoader.load(Driver.class, loader).iterator();
        while (true) {
            Driver driver;
            try {
                if (!found.hasNext()) {
                    break;
                }
                driver = found.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("A JDBC driver in {} could not be loaded: {}", folder, e.getMessage());
                continue;
            }
            if (driver.getClass().getClassLoader() != loader) {
                continue; // shipped with the application, or on its class path
            }
            try {
                DriverManager.registerDriver(new DelegatingDriver(driver));
            } catch (SQLException e) {
                LOG.warn("JDBC driver {} could not be registered: {}", driver.getClass().getName(), e.getMessage());
                continue;
            }
            loaded.add(driver.getClass().getName());
            LOG.info("JDBC driver {} {}.{} loaded from {}", driver.getClass().getName(), driver.getMajorVersion(),
                    driver.getMinorVersion(), folder);
        }
        if (loaded.isEmpty()) {
            LOG.warn("No JDBC driver found in the jars of {} ({}): a driver jar declares its driver in"
                    + " META-INF/services/java.sql.Driver", folder, jars.size());
        }
        return loaded;
    }

    private static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            LOG.warn("The drivers folder {} cannot be read, no driver is loaded from it: {}", folder, e.toString());
            return List.of();
        }
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a usable path: " + jars.get(i), e);
            }
        }
        return urls;
    }
}
