package org.klaviyosync.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Locale;

/** The regions the sync parameter {@code phoneRegion} accepts: those libphonenumber has a numbering plan for. */
public final class PhoneRegions {

    private PhoneRegions() {
    }

    /** The region code in upper case, or null when libphonenumber knows no numbering plan for it. */
    public static String normalize(String region) {
        if (region == null) {
            return null;
        }
        String code = region.trim().toUpperCase(Locale.ROOT);
        return PhoneNumberUtil.getInstance().getSupportedRegions().contains(code) ? code : null;
    }
}
