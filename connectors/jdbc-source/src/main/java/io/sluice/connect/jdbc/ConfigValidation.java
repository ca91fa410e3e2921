package io.sluice.connect.jdbc;

import static io.sluice.connect.jdbc.JdbcSourceConfig.*;

import io.sluice.connect.jdbc.JdbcSourceConfig.Mode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * The rules that span several settings, added to {@link org.apache.kafka.common.config.ConfigDef}'s
 * per-field checks so that one validation reports every error at once, each on its field.
 *
 * <p>Stateless. {@link #validate} may block for up to the login timeout while it tries the database.
 */
final class ConfigValidation {

    private static final int LOGIN_TIMEOUT_SECONDS = 5;

    private ConfigValidation() {}

    /** Validates {@code props}: the ConfigDef's per-field results plus the cross-field and connection checks. */
    static List<ConfigValue> validate(Map<String, String> props) {
        Map<String, ConfigValue> byName = new LinkedHashMap<>();
        for (ConfigValue value : JdbcSourceConfig.CONFIG_DEF.validate(props)) {
            byName.put(value.name(), value);
        }
        addCrossFieldErrors(byName);
        if (byName.values().stream().allMatch(v -> v.errorMessages().isEmpty())) {
            checkConnection(byName);
        }
        return new ArrayList<>(byName.values());
    }

    /** For {@code start()}: the same checks (without trying the database), thrown as one exception. */
    static JdbcSourceConfig parse(Map<String, String> props) {
        Map<String, ConfigValue> byName = new LinkedHashMap<>();
        for (ConfigValue value : JdbcSourceConfig.CONFIG_DEF.validate(props)) {
            byName.put(value.name(), value);
        }
        addCrossFieldErrors(byName);
        String errors = byName.values().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .map(v -> v.name() + ": " + String.join("; ", v.errorMessages()))
                .collect(Collectors.joining(", "));
        if (!errors.isEmpty()) {
            throw new ConfigException("Invalid JDBC source configuration: " + errors);
        }
        return new JdbcSourceConfig(props);
    }

    private static void addCrossFieldErrors(Map<String, ConfigValue> byName) {
        String query = string(byName, QUERY);
        boolean tablesListed = !list(byName, TABLE_WHITELIST).isEmpty()
                || !list(byName, TABLE_INCLUDE_LIST).isEmpty()
                || !list(byName, TABLE_BLACKLIST).isEmpty()
                || !list(byName, TABLE_EXCLUDE_LIST).isEmpty();
        if (!query.isBlank() && tablesListed) {
            byName.get(QUERY)
                    .addErrorMessage("cannot be combined with a table list (" + TABLE_WHITELIST + "/" + TABLE_BLACKLIST
                            + " or their aliases): use one or the other");
        }
        boolean included = !list(byName, TABLE_WHITELIST).isEmpty()
                || !list(byName, TABLE_INCLUDE_LIST).isEmpty();
        boolean excluded = !list(byName, TABLE_BLACKLIST).isEmpty()
                || !list(byName, TABLE_EXCLUDE_LIST).isEmpty();
        if (included && excluded) {
            byName.get(TABLE_BLACKLIST)
                    .addErrorMessage("cannot be combined with " + TABLE_WHITELIST
                            + ": list the tables to include or those to exclude, not both");
        }
        String modeName = string(byName, MODE);
        Mode mode;
        try {
            mode = Mode.fromConfig(modeName);
        } catch (ConfigException e) {
            return; // already reported on "mode" by the ConfigDef
        }
        if (mode.usesIncrementing() && string(byName, INCREMENTING_COLUMN_NAME).isBlank()) {
            byName.get(INCREMENTING_COLUMN_NAME).addErrorMessage("is required when " + MODE + "=" + mode.configName());
        }
        if (mode.usesTimestamp() && list(byName, TIMESTAMP_COLUMN_NAME).isEmpty()) {
            byName.get(TIMESTAMP_COLUMN_NAME).addErrorMessage("is required when " + MODE + "=" + mode.configName());
        }
    }

    private static void checkConnection(Map<String, ConfigValue> byName) {
        String url = string(byName, CONNECTION_URL);
        Properties properties = new Properties();
        String user = string(byName, CONNECTION_USER);
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        Object password = byName.get(CONNECTION_PASSWORD).value();
        if (password instanceof Password p && p.value() != null) {
            properties.setProperty("password", p.value());
        }
        properties.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        properties.setProperty("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        int previousTimeout = DriverManager.getLoginTimeout();
        DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            connection.isValid(LOGIN_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            // The driver's message never contains the password; the URL is the user's own text.
            byName.get(CONNECTION_URL).addErrorMessage("cannot connect to the database: " + e.getMessage());
        } finally {
            DriverManager.setLoginTimeout(previousTimeout);
        }
    }

    private static String string(Map<String, ConfigValue> byName, String name) {
        Object value = byName.get(name).value();
        return value == null ? "" : value.toString().trim();
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, ConfigValue> byName, String name) {
        Object value = byName.get(name).value();
        return value instanceof List<?> l ? (List<String>) l : List.of();
    }
}
