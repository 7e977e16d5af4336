package org.klaviyosync.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The parameters of the {@code klaviyo-profile-sync} route template: the public contract of a
 * profile sync file. The template in {@code routes/klaviyo-profile-sync.yaml} declares the same
 * names, defaults and required-ness (SyncTemplateParametersTest holds them equal).
 */
public enum SyncParameter implements ParameterDeclaration {
    SYNC_ID("syncId", true, null),
    MODEL("model", true, null),
    SCHEDULE("schedule", false, null),
    IDENTIFIER("identifier", true, null),
    IDENTIFIER_COLUMN("identifierColumn", true, null),
    PROPERTIES("properties", true, null),
    LIST_COLUMN("listColumn", false, null),
    LISTS("lists", false, null),
    CREATE_LISTS("createLists", false, "true"),
    NULLS("nulls", false, "skip"),
    PHONE_REGION("phoneRegion", false, null),
    LIST_MODE("listMode", false, "add"),
    MAX_REMOVAL_PERCENT("maxRemovalPercent", false, "20"),
    EMAIL_CONSENT("emailConsent", false, null),
    SMS_CONSENT("smsConsent", false, null),
    CONSENT_LIST("consentList", false, null),
    CONSENTED_AT_COLUMN("consentedAtColumn", false, null);

    /** The route template every sync file instantiates. */
    public static final String TEMPLATE_ID = "klaviyo-profile-sync";

    private final String key;
    private final boolean required;
    private final String defaultValue;

    SyncParameter(String key, boolean required, String defaultValue) {
        this.key = key;
        this.required = required;
        this.defaultValue = defaultValue;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean required() {
        return required;
    }

    @Override
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    @Override
    public String requiredHint() {
        return switch (this) {
            case SYNC_ID -> "name the sync, e.g. 'vip-customers'";
            case MODEL -> "give the model's SQL, or file:models/<name>.sql";
            case IDENTIFIER -> "use external_id (recommended), email or phone_number";
            case IDENTIFIER_COLUMN -> "name the model column that holds the identifier";
            case PROPERTIES -> "write '*' to sync all columns or klaviyoField=column pairs";
            default -> "set it";
        };
    }

    public static Optional<SyncParameter> named(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }

    public static String allNames() {
        return String.join(", ", Arrays.stream(values()).map(SyncParameter::key).toList());
    }
}
