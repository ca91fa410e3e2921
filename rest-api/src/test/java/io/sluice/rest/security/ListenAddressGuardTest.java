package io.sluice.rest.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListenAddressGuardTest {

    static final SecurityProperties NONE = new SecurityProperties(null, false, null);

    @Test
    void shouldLetLoopbackRunWithoutAuthentication() throws Exception {
        assertThat(ListenAddressGuard.check(InetAddress.getByName("127.0.0.1"), NONE))
                .contains("without authentication");
        assertThat(ListenAddressGuard.check(InetAddress.getByName("::1"), NONE)).contains("without authentication");
    }

    @Test
    void shouldRefuseAnyOtherAddressOrEveryInterfaceWithoutAuthentication() {
        assertThatThrownBy(() -> ListenAddressGuard.check(InetAddress.getByName("10.1.2.3"), NONE))
                .hasMessageContaining("Refusing to listen on 10.1.2.3")
                .hasMessageContaining("sluice.security.allow-anonymous=true");
        assertThatThrownBy(() -> ListenAddressGuard.check(null, NONE))
                .hasMessageContaining("Refusing to listen on every interface");
    }

    @Test
    void shouldAllowOtherAddressesWithAuthenticationOrExplicitAnonymousAccess() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        assertThat(ListenAddressGuard.check(any, new SecurityProperties(Path.of("/etc/sluice/users"), false, null)))
                .contains("with authentication");
        assertThat(ListenAddressGuard.check(any, new SecurityProperties(null, true, null)))
                .contains("WITHOUT authentication (sluice.security.allow-anonymous=true)");
    }
}
