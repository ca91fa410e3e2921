package io.sluice.testing;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system account the local PostgreSQL server runs as, and how to run a command as it.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb}, {@code pg_ctl} and {@code postgres} all
 * check). So when this JVM is root, commands run through {@code setpriv} as {@value #ACCOUNT}, a
 * system account created here with {@code useradd} if it is missing ({@code nobody} if that fails).
 * Otherwise they run as the current user. When {@code setpriv} is present, the server process also
 * gets a parent-death signal, so it shuts down if the JVM is killed without running shutdown hooks.
 *
 * <p>Immutable once detected; thread-safe.
 */
final class ServerAccount {

    static final String ACCOUNT = "sluice-pg";
    private static final Logger LOG = LoggerFactory.getLogger(ServerAccount.class);

    private final Optional<UserPrincipal> switchTo;
    private final Optional<String> setpriv;
    private final List<String> prefix;

    private ServerAccount(Optional<UserPrincipal> switchTo, Optional<String> setpriv, List<String> prefix) {
        this.switchTo = switchTo;
        this.setpriv = setpriv;
        this.prefix = prefix;
    }

    /** The account for this JVM: itself, or an unprivileged one if this JVM is root. */
    static ServerAccount detect() {
        Optional<String> setpriv = onPath("setpriv");
        if (new UnixSystem().getUid() != 0) {
            return new ServerAccount(Optional.empty(), setpriv, List.of());
        }
        String tool = setpriv.orElseThrow(
                () -> new IllegalStateException(
                        "Running as root, PostgreSQL must run as another user, which needs setpriv (Debian package util-linux)"));
        String name = ensureAccount();
        String gid = run(List.of("id", "-g", name)).trim();
        List<String> prefix = List.of(tool, "--reuid=" + name, "--regid=" + gid, "--clear-groups");
        LOG.info("Running as root: PostgreSQL will run as {} (gid {})", name, gid);
        return new ServerAccount(Optional.of(lookup(name).orElseThrow()), setpriv, prefix);
    }

    /** {@code command} prefixed so that it runs as this account. */
    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /**
     * Like {@link #command}, and the process receives SIGINT (PostgreSQL's fast shutdown) when the
     * thread that starts it ends: start it from a thread that lives as long as the JVM.
     */
    List<String> longRunningCommand(List<String> command) {
        if (setpriv.isEmpty()) {
            return command(command);
        }
        List<String> full = new ArrayList<>(prefix.isEmpty() ? List.of(setpriv.get()) : prefix);
        full.add("--pdeathsig=INT");
        full.add("--");
        full.addAll(command);
        return full;
    }

    /** Makes this account the owner of {@code path} (a no-op unless switching accounts). */
    void handOver(Path path) throws IOException {
        if (switchTo.isPresent()) {
            Files.setOwner(path, switchTo.get());
        }
    }

    /**
     * Whether this account can reach files under {@code directory}: when switching accounts, every
     * ancestor must be searchable by others (a root-only {@code TMPDIR} is not).
     */
    boolean canReach(Path directory) throws IOException {
        if (switchTo.isEmpty()) {
            return true;
        }
        for (Path p = directory.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return switchTo.map(UserPrincipal::getName).orElse(System.getProperty("user.name"));
    }

    private static String ensureAccount() {
        if (lookup(ACCOUNT).isEmpty()) {
            try {
                run(List.of(
                        onPath("useradd").orElse("useradd"),
                        "--system",
                        "--user-group",
                        "--no-create-home",
                        "--home-dir",
                        "/nonexistent",
                        "--shell",
                        "/bin/false",
                        "--comment",
                        "Sluice test PostgreSQL",
                        ACCOUNT));
                LOG.info("Created system account {}", ACCOUNT);
            } catch (IllegalStateException e) {
                // Another JVM may have created it meanwhile; otherwise fall back below.
                LOG.debug("useradd {} failed", ACCOUNT, e);
            }
        }
        if (lookup(ACCOUNT).isPresent()) {
            return ACCOUNT;
        }
        if (lookup("nobody").isPresent()) {
            LOG.warn("Cannot create account {}; running PostgreSQL as nobody", ACCOUNT);
            return "nobody";
        }
        throw new IllegalStateException("Running as root, and neither account " + ACCOUNT + " nor nobody exists");
    }

    private static Optional<UserPrincipal> lookup(String name) {
        try {
            return Optional.of(
                    Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name));
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot look up account " + name, e);
        }
    }

    private static Optional<String> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/bin:/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** Runs a short command and returns its output; throws if it fails or takes over a minute. */
    static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Command failed: " + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + command.get(0), e);
        }
    }
}
