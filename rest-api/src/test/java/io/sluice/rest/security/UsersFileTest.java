package io.sluice.rest.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder.BCryptVersion;

class UsersFileTest {

    @TempDir
    Path dir;

    static String hash(BCryptVersion v) {
        return new BCryptPasswordEncoder(v, 4).encode("pw");
    }

    @Test
    void shouldReadEachBcryptVersionAndGiveEachRoleTheRolesItIncludes() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(
                file,
                "# comment\n\nv:" + hash(BCryptVersion.$2Y) + ":viewer\no:" + hash(BCryptVersion.$2B) + ":operator\na:"
                        + hash(BCryptVersion.$2A) + ":ADMIN\n");
        UsersFile users = new UsersFile(file);
        assertThat(users.loadUserByUsername("v").getAuthorities())
                .extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_VIEWER");
        assertThat(users.loadUserByUsername("a").getAuthorities())
                .extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_OPERATOR", "ROLE_ADMIN");
        VerifiedPasswords passwords = new VerifiedPasswords();
        for (String name : new String[] {"v", "o", "a"}) {
            String stored = users.loadUserByUsername(name).getPassword();
            assertThat(passwords.matches("pw", stored)).as(name).isTrue();
            assertThat(passwords.matches("pw", stored)).as(name + " remembered").isTrue();
            assertThat(passwords.matches("pW", stored)).as(name).isFalse();
        }
    }

    @Test
    void shouldNameEveryBadLineWithoutEchoingAHash() throws Exception {
        Path file = dir.resolve("users");
        String plain = "plain-text-password";
        String badRoleHash = hash(BCryptVersion.$2A);
        String twiceHash = hash(BCryptVersion.$2A);
        Files.writeString(
                file,
                "ok:" + hash(BCryptVersion.$2A) + ":viewer\n"
                        + "nohash:" + plain + ":viewer\n"
                        + "bad:" + badRoleHash + ":root\n"
                        + "two-fields:viewer\n"
                        + "ok:" + twiceHash + ":admin\n");
        assertThatThrownBy(() -> new UsersFile(file))
                .isInstanceOf(UsersFile.InvalidUsersFileException.class)
                .hasMessageContaining("line 2: the hash of user 'nohash' is not a bcrypt hash")
                .hasMessageContaining("line 3: role 'root' of user 'bad' is not one of viewer, operator, admin")
                .hasMessageContaining("line 4: expected name:bcrypt-hash:role")
                .hasMessageContaining("line 5: user 'ok' is listed twice")
                .message()
                .doesNotContain(plain)
                .doesNotContain(badRoleHash)
                .doesNotContain(twiceHash);
    }

    @Test
    void shouldNameAMissingFile() {
        assertThatThrownBy(() -> new UsersFile(dir.resolve("absent")))
                .hasMessageContaining("sluice.security.users-file")
                .hasMessageContaining("absent");
    }
}
