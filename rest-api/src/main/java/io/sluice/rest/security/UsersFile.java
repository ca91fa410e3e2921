package io.sluice.rest.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Users from a file, one {@code name:bcrypt-hash:role} a line ({@code $2a$}, {@code $2b$} or {@code
 * $2y$} hashes; blank lines and lines starting with {@code #} are skipped). The file is read at
 * start (a bad file stops the worker) and again whenever its modification time or size changes; a
 * bad edit is reported and the previous users stay in force. Thread-safe. Errors name the line,
 * never its hash.
 */
public final class UsersFile implements UserDetailsService {

    private static final Logger log = LoggerFactory.getLogger(UsersFile.class);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern NAME = Pattern.compile("[^\\s:]+");

    /** The file is not usable: names the file, the line and what is wrong. */
    public static final class InvalidUsersFileException extends IllegalArgumentException {
        InvalidUsersFileException(String message) {
            super(message);
        }
    }

    private record Stamp(FileTime modified, long size) {}

    private record Loaded(Stamp stamp, Map<String, UserDetails> users) {}

    private final Path path;
    private volatile Loaded loaded;

    public UsersFile(Path path) {
        this.path = path;
        Stamp stamp = stamp();
        this.loaded = new Loaded(stamp, parse(path));
        log.info("Read {} user(s) from {}", loaded.users().size(), path);
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        UserDetails user = current().get(name);
        if (user == null) {
            throw new UsernameNotFoundException("no such user");
        }
        // a copy: Spring Security erases the password of what it authenticated
        return User.withUserDetails(user).build();
    }

    /** The users in force now, re-reading the file first when it changed. */
    Map<String, UserDetails> current() {
        Loaded now = loaded;
        Stamp stamp;
        try {
            stamp = stamp();
        } catch (InvalidUsersFileException e) {
            return now.users();
        }
        if (stamp.equals(now.stamp())) {
            return now.users();
        }
        synchronized (this) {
            if (!stamp.equals(loaded.stamp())) {
                try {
                    loaded = new Loaded(stamp, parse(path));
                    log.info("Re-read {} user(s) from {}", loaded.users().size(), path);
                } catch (InvalidUsersFileException e) {
                    log.warn("{}; keeping the previous users", e.getMessage());
                    loaded = new Loaded(stamp, loaded.users());
                }
            }
            return loaded.users();
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            throw new InvalidUsersFileException("Cannot read sluice.security.users-file " + path + ": " + e);
        }
    }

    /** Parses a users file; every problem is reported at once. */
    static Map<String, UserDetails> parse(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidUsersFileException("Cannot read sluice.security.users-file " + path + ": " + e);
        }
        Map<String, UserDetails> users = new HashMap<>();
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String problem = null;
            String[] parts = line.split(":", -1);
            if (parts.length != 3) {
                problem = "expected name:bcrypt-hash:role";
            } else if (!NAME.matcher(parts[0]).matches()) {
                problem = "the user name is empty or has spaces";
            } else if (!BCRYPT.matcher(parts[1]).matches()) {
                problem = "the hash of user '" + parts[0] + "' is not a bcrypt hash ($2a$, $2b$ or $2y$)";
            } else if (Role.parse(parts[2]) == null) {
                problem = "role '" + parts[2] + "' of user '" + parts[0] + "' is not one of " + Role.names();
            } else if (users.containsKey(parts[0])) {
                problem = "user '" + parts[0] + "' is listed twice";
            }
            if (problem != null) {
                errors.append(errors.isEmpty() ? "" : "; ")
                        .append("line ")
                        .append(i + 1)
                        .append(": ")
                        .append(problem);
                continue;
            }
            Role role = Role.parse(parts[2]);
            users.put(
                    parts[0],
                    User.withUsername(parts[0])
                            .password(parts[1])
                            .authorities(AuthorityUtils.createAuthorityList(role.authorities()))
                            .build());
        }
        if (!errors.isEmpty()) {
            throw new InvalidUsersFileException("sluice.security.users-file " + path + " is invalid: " + errors);
        }
        return Map.copyOf(users);
    }
}
