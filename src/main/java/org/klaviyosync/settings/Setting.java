package org.klaviyosync.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One application setting, declared once: its key in {@code application.properties}, the
 * environment variable that overrides it, its type, default, description and the values it
 * accepts. {@link Settings#get(Setting)} reads and checks it; {@link SettingCatalog} lists every
 * declaration, from which the documentation table comes.
 *
 * @param <T> the type of its value
 */
public final class Setting<T> {

    /** Where a setting's value may come from. */
    public enum Source {
        /** {@code application.properties}, overridden by the environment variable. */
        FILE_OR_ENVIRONMENT,
        /** The environment only: read before the file is, or never worth writing down. */
        ENVIRONMENT,
        /** The environment only, and never logged or shown. */
        SECRET
    }

    /** A rule a parsed value must follow, and how it is said to a user ("at least 1"). */
    private record Rule<T>(Predicate<T> test, String allowed) {
    }

    private final String key;
    private final String type;
    private final Function<String, T> parser;
    private final Supplier<T> defaultValue;
    private final String defaultShown;
    private final String description;
    private final Source source;
    private final List<Rule<T>> rules;

    private Setting(String key, String type, Function<String, T> parser, Supplier<T> defaultValue,
            String defaultShown, String description, Source source, List<Rule<T>> rules) {
        this.key = key;
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.defaultShown = defaultShown;
        this.description = description;
        this.source = source;
        this.rules = List.copyOf(rules);
    }

    /** A whole number (int). */
    public static Setting<Integer> wholeNumber(String key, Integer defaultValue) {
        return new Setting<>(key, "a whole number", Integer::valueOf, constant(defaultValue), shown(defaultValue), "",
                Source.FILE_OR_ENVIRONMENT, List.of());
    }

    /** A whole number that may exceed an int (milliseconds, bytes). */
    public static Setting<Long> longNumber(String key, Long defaultValue) {
        return new Setting<>(key, "a whole number", Long::valueOf, constant(defaultValue), shown(defaultValue), "",
                Source.FILE_OR_ENVIRONMENT, List.of());
    }

    /** true or false (also yes/no, 1/0). */
    public static Setting<Boolean> flag(String key, Boolean defaultValue) {
        return new Setting<>(key, "true or false", Setting::parseFlag, constant(defaultValue), shown(defaultValue), "",
                Source.FILE_OR_ENVIRONMENT, List.of());
    }

    /** Text, e.g. a path, a URL or a name. */
    public static Setting<String> text(String key, String defaultValue) {
        return new Setting<>(key, "text", v -> v, constant(defaultValue), shown(defaultValue), "",
                Source.FILE_OR_ENVIRONMENT, List.of());
    }

    /** A secret: from the environment only, never logged, never shown. */
    public static Setting<String> secret(String key) {
        return new Setting<>(key, "text", v -> v, constant(null), "", "", Source.SECRET, List.of());
    }

    public Setting<T> describedAs(String text) {
        return new Setting<>(key, type, parser, defaultValue, defaultShown, text, source, rules);
    }

    /** Read from the environment only (its variable), never from the file. */
    public Setting<T> environmentOnly() {
        return new Setting<>(key, type, parser, defaultValue, defaultShown, description, Source.ENVIRONMENT, rules);
    }

    /** A default worked out when read (e.g. one per core), shown in the documentation as {@code shown}. */
    public Setting<T> defaultComputed(Supplier<T> computed, String shown) {
        return new Setting<>(key, type, parser, computed, shown, description, source, rules);
    }

    /** What the documentation says when the setting has no default (what happens without it). */
    public Setting<T> withoutDefaultMeaning(String shown) {
        return new Setting<>(key, type, parser, defaultValue, shown, description, source, rules);
    }

    /** At least {@code min} (a number). */
    public Setting<T> atLeast(long min) {
        return rule(v -> ((Number) v).longValue() >= min, "at least " + min);
    }

    /** From {@code min} to {@code max} (a number). */
    public Setting<T> between(long min, long max) {
        return rule(v -> ((Number) v).longValue() >= min && ((Number) v).longValue() <= max,
                "from " + min + " to " + max);
    }

    /** Text matching {@code regex}, described to a user as {@code allowed}. */
    public Setting<T> matching(String regex, String allowed) {
        Pattern pattern = Pattern.compile(regex);
        return rule(v -> pattern.matcher(v.toString()).matches(), allowed);
    }

    private Setting<T> rule(Predicate<T> test, String allowed) {
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(test, allowed));
        return new Setting<>(key, type, parser, defaultValue, defaultShown, description, source, more);
    }

    public String key() {
        return key;
    }

    /** The environment variable that sets it: upper case, {@code .} and {@code -} become {@code _}. */
    public String envName() {
        return Settings.envName(key);
    }

    public String description() {
        return description;
    }

    public Source source() {
        return source;
    }

    public boolean secret() {
        return source == Source.SECRET;
    }

    /** The default, if it has one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue.get());
    }

    /** The default as the documentation shows it. */
    public String defaultShown() {
        return defaultShown;
    }

    /** What a valid value is, e.g. "a whole number, at least 1". */
    public String allowed() {
        if (rules.isEmpty()) {
            return type;
        }
        // a number's rule says the type too ("at least 1" of a whole number); text's rule says it all
        String said = String.join(", ", rules.stream().map(Rule::allowed).toList());
        return type.equals("text") ? said : type + ", " + said;
    }

    /**
     * The value of {@code raw}, checked. The message of a bad value names the key, its environment
     * variable, the value (never a secret's) and what is allowed.
     */
    T parse(String raw) {
        T value;
        try {
            value = parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where() + " must be " + type + ", not " + quoted(raw));
        }
        for (Rule<T> r : rules) {
            if (!r.test().test(value)) {
                throw new ConfigurationException(where() + " must be " + r.allowed() + ", not "
                        + (value instanceof Number ? raw : quoted(raw)));
            }
        }
        return value;
    }

    private String where() {
        return key + " (environment " + envName() + ")";
    }

    private String quoted(String raw) {
        return secret() ? "the value given" : "'" + raw + "'";
    }

    private static Boolean parseFlag(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(v);
        };
    }

    private static <T> Supplier<T> constant(T value) {
        return () -> value;
    }

    private static String shown(Object defaultValue) {
        return defaultValue == null ? "" : defaultValue.toString();
    }

    @Override
    public String toString() {
        return key;
    }
}
