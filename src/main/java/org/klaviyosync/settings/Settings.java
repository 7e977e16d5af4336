package org.klaviyosync.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The application's settings as given: {@code application.properties} keys overridden by
 * environment variables ({@code warehouse.jdbc-url} by {@code WAREHOUSE_JDBC_URL}). Values are read
 * through their declaration ({@link Setting}, listed by {@link SettingCatalog}), which checks them;
 * secrets and environment-only settings are read from the environment only.
 */
public final class Settings {

    /** Keys of the file that are Camel's own, checked by Camel itself. */
    private static final String CAMEL_PREFIX = "camel.";
    /** Environment variables of this name space are all ours: one that is no setting is a mistake. */
    private static final String OWN_PREFIX = "KLAVIYO_";

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

    /** The value of {@code setting}, or its default; it must have one (else use {@link #find}). */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " has no default"));
    }

    /**
     * The value of {@code setting} (environment first, then the file unless it is environment-only;
     * blank counts as absent), or its default. A value it does not accept throws
     * {@link ConfigurationException} naming the key, the variable, the value and what is allowed.
     */
    public <T> Optional<T> find(Setting<T> setting) {
        Optional<String> raw = raw(setting);
        return raw.isPresent() ? Optional.of(setting.parse(raw.get())) : setting.defaultValue();
    }

    private Optional<String> raw(Setting<?> setting) {
        String fromEnv = env.get(setting.envName());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        if (setting.source() != Setting.Source.FILE_OR_ENVIRONMENT) {
            return Optional.empty();
        }
        String fromFile = file.getProperty(setting.key());
        return fromFile == null || fromFile.isBlank() ? Optional.empty() : Optional.of(fromFile.trim());
    }

    /**
     * Every problem of the settings at once: each value a declaration refuses, and a secret
     * written in the file (secrets come from the environment only). Throws
     * {@link ConfigurationException} listing them.
     */
    public void check() {
        List<String> problems = new ArrayList<>();
        for (Setting<?> s : SettingCatalog.all()) {
            if (s.secret() && file.getProperty(s.key()) != null) {
                problems.add(s.key() + " is a secret and is read from the environment only: remove it from"
                        + " application.properties and set " + s.envName() + " instead");
            }
            try {
                find(s);
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /**
     * What is given but matches no setting, most likely a misspelling: a key of the file that is
     * not a setting (Camel's {@code camel.*} keys aside), a file key of an environment-only setting,
     * and an environment variable that looks like one of ours but is none: it starts with
     * {@code KLAVIYO_}, or it starts as a setting's variable does and is within three edits of one
     * ({@code STATE_JDBC_ULR}; a {@code STATE_DIRECTORY} of the service manager is left alone).
     */
    public List<String> unknown() {
        List<String> notes = new ArrayList<>();
        for (String key : new TreeSet<>(file.stringPropertyNames())) {
            if (key.startsWith(CAMEL_PREFIX) && SettingCatalog.byKey(key).isEmpty()) {
                continue;
            }
            Optional<Setting<?>> s = SettingCatalog.byKey(key);
            if (s.isEmpty()) {
                notes.add("application.properties: '" + key + "' is no setting of klaviyo-sync and is ignored"
                        + closest(key, SettingCatalog.all().stream().map(Setting::key).toList()));
            } else if (s.get().source() == Setting.Source.ENVIRONMENT) {
                notes.add("application.properties: '" + key + "' is read from the environment only ("
                        + s.get().envName() + "); the file's value is ignored");
            }
        }
        Set<String> prefixes = SettingCatalog.all().stream().map(s -> s.envName().substring(0,
                s.envName().indexOf('_') + 1)).filter(p -> !p.isEmpty() && !p.equals("CAMEL_"))
                .collect(Collectors.toSet());
        List<String> envNames = SettingCatalog.all().stream().map(Setting::envName).toList();
        for (String name : new TreeSet<>(env.keySet())) {
            if (SettingCatalog.byEnvName(name).isPresent() || prefixes.stream().noneMatch(name::startsWith)) {
                continue;
            }
            String nearest = closest(name, envNames);
            if (name.startsWith(OWN_PREFIX) || !nearest.isEmpty()) {
                notes.add("environment: " + name + " is no setting of klaviyo-sync and is ignored" + nearest);
            }
        }
        return notes;
    }

    /** ", did you mean X?" for the nearest of {@code known} within three edits, or nothing. */
    private static String closest(String given, List<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> distance(given, k)))
                .filter(k -> distance(given, k) <= 3).map(k -> "; did you mean " + k + "?").orElse("");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Camel's own keys from the file ({@code camel.*}) with their environment overrides, and the
     * value (or default) of every setting but the secrets, for the routes' property placeholders
     * ({@code {{klaviyo.submit-threads}}}): the routes state no default of their own.
     */
    public Properties camelProperties() {
        Properties out = new Properties();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith(CAMEL_PREFIX)) {
                String fromEnv = env.get(envName(key));
                String value = fromEnv != null && !fromEnv.isBlank() ? fromEnv : file.getProperty(key);
                if (!value.isBlank()) {
                    out.setProperty(key, value.trim());
                }
            }
        }
        for (Setting<?> s : SettingCatalog.all()) {
            if (s.source() == Setting.Source.FILE_OR_ENVIRONMENT) {
                find(s).ifPresent(v -> out.setProperty(s.key(), v.toString()));
            }
        }
        return out;
    }
}
