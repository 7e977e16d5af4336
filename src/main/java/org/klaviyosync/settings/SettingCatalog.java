package org.klaviyosync.settings;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting klaviyo-sync has: the {@link Setting} constants of the declaration classes, in
 * the order they are declared. A setting declared in one of them is read, checked, documented
 * (docs/configuration.md) and given to Camel's property placeholders without being listed again.
 */
public final class SettingCatalog {

    /** The declaration classes, in the order the documentation lists them. */
    private static final List<Class<?>> DECLARATIONS = List.of(WarehouseSettings.class, StateSettings.class,
            KlaviyoSettings.class, PipelineSettings.class, ServiceSettings.class, ObserveSettings.class,
            ClusteringSettings.class);

    private static final Map<String, Setting<?>> BY_KEY = collect();

    private SettingCatalog() {
    }

    public static Collection<Setting<?>> all() {
        return BY_KEY.values();
    }

    public static Optional<Setting<?>> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The setting whose environment variable is {@code envName}. */
    public static Optional<Setting<?>> byEnvName(String envName) {
        return BY_KEY.values().stream().filter(s -> s.envName().equals(envName)).findFirst();
    }

    private static Map<String, Setting<?>> collect() {
        Map<String, Setting<?>> settings = new LinkedHashMap<>();
        for (Class<?> declarations : DECLARATIONS) {
            for (Field field : declarations.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || !Modifier.isPublic(field.getModifiers())) {
                    continue;
                }
                for (Setting<?> s : settingsIn(field)) {
                    Setting<?> clash = settings.put(s.key(), s);
                    if (clash != null) {
                        throw new IllegalStateException("setting " + s.key() + " is declared twice");
                    }
                }
            }
        }
        return settings;
    }

    private static List<Setting<?>> settingsIn(Field field) {
        Object value;
        try {
            value = field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        List<Setting<?>> found = new ArrayList<>();
        if (value instanceof Setting<?> s) {
            found.add(s);
        } else if (value instanceof Collection<?> c) {
            c.stream().filter(Setting.class::isInstance).forEach(s -> found.add((Setting<?>) s));
        }
        return found;
    }
}
