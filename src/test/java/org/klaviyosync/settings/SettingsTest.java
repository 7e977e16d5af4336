package org.klaviyosync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading, checking and reporting settings through their declarations. */
class SettingsTest {

    @Test
    void aValueComesFromTheEnvironmentThenTheFileThenTheDeclaredDefault() {
        Setting<Integer> threads = KlaviyoSettings.SUBMIT_THREADS;
        assertEquals(4, Settings.of(Map.of(), Map.of()).get(threads));
        assertEquals(7, Settings.of(Map.of("klaviyo.submit-threads", "7"), Map.of()).get(threads));
        assertEquals(9, Settings.of(Map.of("klaviyo.submit-threads", "7"), Map.of("KLAVIYO_SUBMIT_THREADS", " 9 "))
                .get(threads));
        // blank counts as absent
        assertEquals(7, Settings.of(Map.of("klaviyo.submit-threads", "7"), Map.of("KLAVIYO_SUBMIT_THREADS", " "))
                .get(threads));
        assertEquals(Optional.empty(), Settings.of(Map.of(), Map.of()).find(WarehouseSettings.JDBC_URL));
    }

    @Test
    void aBadValueNamesTheKeyItsVariableTheValueAndWhatIsAllowed() {
        ConfigurationException notANumber = assertThrows(ConfigurationException.class,
                () -> Settings.of(Map.of(), Map.of("KLAVIYO_SUBMIT_THREADS", "four")).get(KlaviyoSettings.SUBMIT_THREADS));
        assertEquals("klaviyo.submit-threads (environment KLAVIYO_SUBMIT_THREADS) must be a whole number, not 'four'",
                notANumber.getMessage());
        ConfigurationException tooLarge = assertThrows(ConfigurationException.class, () -> Settings.of(
                Map.of("klaviyo.batch.max-profiles", "20000"), Map.of()).get(KlaviyoSettings.BATCH_MAX_PROFILES));
        assertEquals("klaviyo.batch.max-profiles (environment KLAVIYO_BATCH_MAX_PROFILES) must be from 1 to 10000,"
                + " not 20000", tooLarge.getMessage());
        ConfigurationException notAFlag = assertThrows(ConfigurationException.class,
                () -> Settings.of(Map.of("cluster.enabled", "maybe"), Map.of()).get(ClusteringSettings.ENABLED));
        assertEquals("cluster.enabled (environment CLUSTER_ENABLED) must be true or false, not 'maybe'",
                notAFlag.getMessage());
        ConfigurationException notAUrl = assertThrows(ConfigurationException.class,
                () -> Settings.of(Map.of(), Map.of("KLAVIYO_BASE_URL", "a.klaviyo.com")).get(KlaviyoSettings.BASE_URL));
        assertEquals("klaviyo.base-url (environment KLAVIYO_BASE_URL) must be an http:// or https:// URL,"
                + " not 'a.klaviyo.com'", notAUrl.getMessage());
    }

    @Test
    void checkListsEveryBadValueAtOnce() {
        Settings settings = Settings.of(Map.of("state.retention-days", "0"),
                Map.of("SHUTDOWN_GRACE_SECONDS", "1", "MANAGEMENT_PORT", "http", "KLAVIYO_LIMITS_READS_PER_SECOND", "0"));
        ConfigurationException e = assertThrows(ConfigurationException.class, settings::check);
        assertEquals(List.of(
                "state.retention-days (environment STATE_RETENTION_DAYS) must be at least 1, not 0",
                "klaviyo.limits.reads.per-second (environment KLAVIYO_LIMITS_READS_PER_SECOND) must be at least 1,"
                        + " not 0",
                "shutdown.grace-seconds (environment SHUTDOWN_GRACE_SECONDS) must be at least 3, not 1",
                "management.port (environment MANAGEMENT_PORT) must be a whole number, not 'http'"), e.problems());
        Settings.of(Map.of(), Map.of()).check();
    }

    @Test
    void aSecretComesFromTheEnvironmentOnlyAndOneInTheFileStopsStartUp() {
        Settings inFile = Settings.of(Map.of("klaviyo.api-key", "pk_in_a_file"), Map.of());
        assertEquals(Optional.empty(), inFile.find(KlaviyoSettings.API_KEY));
        ConfigurationException e = assertThrows(ConfigurationException.class, inFile::check);
        assertEquals(List.of("klaviyo.api-key is a secret and is read from the environment only: remove it from"
                + " application.properties and set KLAVIYO_API_KEY instead"), e.problems());
        assertFalse(e.getMessage().contains("pk_in_a_file"), e.getMessage());
        assertEquals(Optional.of("pk_env"), Settings.of(Map.of(), Map.of("KLAVIYO_API_KEY", "pk_env"))
                .find(KlaviyoSettings.API_KEY));
    }

    @Test
    void anEnvironmentOnlySettingIgnoresTheFileAndSaysSo() {
        Settings settings = Settings.of(Map.of("drivers.dir", "lib"), Map.of());
        assertEquals("drivers", settings.get(WarehouseSettings.DRIVERS_DIR));
        assertEquals(List.of("application.properties: 'drivers.dir' is read from the environment only (DRIVERS_DIR);"
                + " the file's value is ignored"), settings.unknown());
        assertEquals("lib", Settings.of(Map.of(), Map.of("DRIVERS_DIR", "lib")).get(WarehouseSettings.DRIVERS_DIR));
    }

    @Test
    void keysAndVariablesThatMatchNoSettingAreReportedWithTheNearestSetting() {
        Settings settings = Settings.of(
                Map.of("klaviyo.submit-thread", "2", "camel.main.jmx-enabled", "true", "routes.dir", "routes"),
                Map.of("KLAVIYO_SUBMT_THREADS", "2", "WAREHOUSE_JDBC_URL", "jdbc:postgresql://db/x", "PATH", "/bin",
                        "HOME", "/root", "STATE_DIRECTORY", "/var/lib/klaviyo-sync", "STATE_JDBC_ULR", "jdbc:x",
                        "KLAVIYO_ACCOUNT", "acme"));
        assertEquals(List.of(
                "application.properties: 'klaviyo.submit-thread' is no setting of klaviyo-sync and is ignored; did you"
                        + " mean klaviyo.submit-threads?",
                "environment: KLAVIYO_ACCOUNT is no setting of klaviyo-sync and is ignored",
                "environment: KLAVIYO_SUBMT_THREADS is no setting of klaviyo-sync and is ignored; did you mean"
                        + " KLAVIYO_SUBMIT_THREADS?",
                "environment: STATE_JDBC_ULR is no setting of klaviyo-sync and is ignored; did you mean"
                        + " STATE_JDBC_URL?"), settings.unknown());
        assertEquals(List.of(), Settings.of(Map.of(), Map.of("KLAVIYO_API_KEY", "pk_x", "CLUSTER_ENABLED", "true"))
                .unknown());
    }

    @Test
    void everySettingHasItsOwnKeyAndVariableAndTheirDefaultsAreAccepted() {
        Set<String> variables = new HashSet<>();
        Settings none = Settings.of(Map.of(), Map.of());
        for (Setting<?> s : SettingCatalog.all()) {
            assertTrue(variables.add(s.envName()), s.envName() + " twice");
            assertEquals(Settings.envName(s.key()), s.envName());
            // a default a setting itself refuses would stop every start-up
            s.defaultValue().ifPresent(d -> assertEquals(d, s.parse(d.toString()), s.key()));
            assertEquals(s.defaultValue(), none.find(s));
        }
        assertTrue(variables.containsAll(Set.of("KLAVIYO_API_KEY", "WAREHOUSE_PASSWORD", "STATE_PASSWORD",
                "MANAGEMENT_PASSWORD", "DRIVERS_DIR", "WAREHOUSE_JDBC_URL", "KLAVIYO_LIMITS_BULK_IMPORT_PER_MINUTE")),
                variables.toString());
    }

    @Test
    void camelPropertiesCarryEverySettingButTheSecretsForTheRoutesPlaceholders() {
        var props = Settings.of(Map.of("camel.main.jmx-enabled", "true", "klaviyo.submit-queue", "8"),
                Map.of("KLAVIYO_API_KEY", "pk_secret", "KLAVIYO_CONNECT_TIMEOUT_MS", "1500",
                        "CAMEL_MAIN_JMX_ENABLED", "false")).camelProperties();
        assertEquals("8", props.getProperty("klaviyo.submit-queue"));
        assertEquals("1500", props.getProperty("klaviyo.connect-timeout-ms"));
        assertEquals("60000", props.getProperty("klaviyo.response-timeout-ms"));
        assertEquals("klaviyo-sync", props.getProperty("camel.main.name"));
        assertEquals("false", props.getProperty("camel.main.jmx-enabled"));
        assertFalse(props.containsKey("klaviyo.api-key"));
        assertFalse(props.containsValue("pk_secret"));
        assertFalse(props.containsKey("warehouse.jdbc-url"), "no default, not set");
    }
}
