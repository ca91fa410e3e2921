package io.sluice.core.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges an updated config with the stored one so that a client may send back a config it read
 * (with secrets shown as {@code [hidden]}) without wiping the secrets: each {@code [hidden]} value
 * is replaced by the stored value of the same setting. Stateless and thread-safe.
 */
public final class HiddenValues {

    private HiddenValues() {}

    /**
     * The incoming config with {@code [hidden]} values restored from {@code stored}.
     *
     * @throws IllegalArgumentException naming every setting sent as {@code [hidden]} that has no
     *     stored value to keep
     */
    public static Map<String, String> restore(Map<String, String> stored, Map<String, String> incoming) {
        Map<String, String> merged = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        incoming.forEach((key, value) -> {
            if (ConfigRedactor.HIDDEN.equals(value)) {
                String kept = stored.get(key);
                if (kept == null) {
                    missing.add(key);
                }
                merged.put(key, kept);
            } else {
                merged.put(key, value);
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "No stored value to keep for settings sent as " + ConfigRedactor.HIDDEN + ": " + missing);
        }
        return merged;
    }
}
