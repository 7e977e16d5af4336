package org.klaviyosync.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The application's own settings: {@code application.properties} keys overridden by environment
 * variables. Every key can be overridden by its environment form ({@code warehouse.jdbc-url} by
 * {@code WAREHOUSE_JDBC_URL}); secrets exist only in the environment and never in the file.
 */
public final class Settings {

    /** Environment-only secrets: read from the environment, never from a file. */
    public static final String KLAVIYO_API_KEY = "KLAVIYO_API_KEY";
    public static final String WAREHOUSE_PASSWORD = "WAREHOUSE_PASSWORD";
    public static final String STATE_PASSWORD = "STATE_PASSWORD";
    public static final String MANAGEMENT_PASSWORD = "MANAGEMENT_PASSWORD";

    private final Properties file;
    private final Map<String, String> env;

    private Settings(Properties file, Map<String, String> env) {
        this.file = file;
        this.env = Map.copyOf(env);
    }

    public static Settings load(Path propertiesFile, Map<String, String> env) {
        Properties p = new Properties();
        if (Files.isRegularFile(propertiesFile)) {
            try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + propertiesFile + ": " + e.getMessage(), e);
            }
        }
        return new Settings(p, env);
    }

    public static Settings of(Map<String, String> properties, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(properties);
        return new Settings(p, env);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of {@code key}: environment first, then the file; blank counts as absent. */
    public Optional<String> get(String key) {
        String fromEnv = env.get(envName(key));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        String fromFile = file.getProperty(key);
        if (fromFile != null && !fromFile.isBlank()) {
            return Optional.of(fromFile.trim());
        }
        return Optional.empty();
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " (environment " + envName(key) + ") must be a whole number, not '"
                    + v.get() + "'");
        }
    }

    public long getLong(String key, long defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " (environment " + envName(key) + ") must be a whole number, not '"
                    + v.get() + "'");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigurationException(key + " (environment " + envName(key)
                    + ") must be true or false, not '" + v.get() + "'");
        };
    }

    /** A secret, from the environment only. */
    public Optional<String> secret(String envName) {
        String v = env.get(envName);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** Camel's own keys from the file ({@code camel.*}), with their environment overrides. */
    public Properties camelProperties() {
        Properties out = new Properties();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("camel.")) {
                get(key).ifPresent(v -> out.setProperty(key, v));
            }
        }
        return out;
    }
}
