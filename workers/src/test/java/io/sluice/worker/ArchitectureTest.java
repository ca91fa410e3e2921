package io.sluice.worker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module and package arrows of {@code ARCHITECTURE.md} and of each {@code package-info.java}
 * checked, over the production classes of every module (the worker's test classpath holds them all).
 *
 * <p>Each rule says which of the hub's own packages a package may use; third-party libraries are
 * ruled where a document names them (no Spring in hub-core, no Connect API in the log, no Postgres
 * driver in the generic runtime). Where today's code breaks a rule, the classes that do are listed as
 * <em>frozen exceptions</em> with the reason, so the rule holds for everything else and the list can
 * only shrink: {@link #shouldListOnlyExceptionsThatStillBreakTheirRule} fails when a listed class no
 * longer needs its exception.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    /**
     * Production classes of the hub's modules, from the directory or jar each module's classes come
     * from (scanning the whole classpath for {@code io.sluice} would read every library jar).
     */
    @BeforeAll
    static void importClasses() {
        Set<Location> modules = new LinkedHashSet<>();
        for (Class<?> c : List.of(
                io.sluice.core.plugin.Plugins.class,
                io.sluice.log.Log.class,
                io.sluice.rest.RestApiAutoConfiguration.class,
                io.sluice.ui.UiAutoConfiguration.class,
                io.sluice.worker.task.TaskRunner.class,
                io.sluice.connect.jdbc.JdbcSourceConnector.class,
                io.sluice.connect.s3.S3SinkConnector.class,
                io.sluice.connect.elasticsearch.ElasticsearchSinkConnector.class)) {
            modules.add(Location.of(c.getProtectionDomain().getCodeSource().getLocation()));
        }
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(modules);
    }

    private static final String SLUICE = "io.sluice..";

    /** One arrow: classes of {@code origin} use no hub package outside {@code allowed}. */
    private record Arrow(String name, String origin, List<String> allowed, List<String> frozen) {

        ArchRule rule(List<String> exempt) {
            DescribedPredicate<JavaClass> inOrigin = resideInAPackage(origin);
            DescribedPredicate<JavaClass> notExempt =
                    DescribedPredicate.describe("not a frozen exception", c -> !exempt.contains(c.getName()));
            return noClasses()
                    .that(inOrigin.and(notExempt))
                    .should()
                    .dependOnClassesThat(resideInAPackage(SLUICE).and(not(permitted())))
                    .as(name)
                    .allowEmptyShould(false);
        }

        private static boolean isType(String name) {
            return !name.endsWith(".") && Character.isUpperCase(name.charAt(name.lastIndexOf('.') + 1));
        }

        /** The allowed packages ({@code a.b..}) and single classes ({@code a.b.Type}). */
        DescribedPredicate<JavaClass> permitted() {
            String[] packages = allowed.stream().filter(a -> !isType(a)).toArray(String[]::new);
            List<String> types = allowed.stream().filter(Arrow::isType).toList();
            return resideInAnyPackage(packages)
                    .or(DescribedPredicate.describe("one of " + types, c -> types.contains(c.getName())));
        }

        /** The rule for the frozen classes alone (each must still break it). */
        ArchRule frozenRule(String frozenClass) {
            return noClasses()
                    .that()
                    .haveFullyQualifiedName(frozenClass)
                    .should()
                    .dependOnClassesThat(resideInAPackage(SLUICE).and(not(permitted())))
                    .allowEmptyShould(true);
        }
    }

    private static Arrow arrow(String name, String origin, String... allowed) {
        List<String> all = new ArrayList<>(Arrays.asList(allowed));
        all.add(origin);
        return new Arrow(name, origin, all, List.of());
    }

    private static Arrow frozen(Arrow arrow, String... classNames) {
        return new Arrow(arrow.name(), arrow.origin(), arrow.allowed(), List.of(classNames));
    }

    /** Modules: ARCHITECTURE.md's table and "Arrows point one way". */
    private static final List<Arrow> MODULES = List.of(
            arrow("the log knows nothing of the hub", "io.sluice.log.."),
            arrow("hub-core knows neither workers, the log, the REST API nor connectors", "io.sluice.core.."),
            arrow(
                    "the JDBC source knows connect-api, and hub-core's extension SPI for its CDC extension",
                    "io.sluice.connect.jdbc..",
                    "io.sluice.core.extension..",
                    "io.sluice.core.status..",
                    "io.sluice.core.hub..",
                    "io.sluice.core.validation..",
                    "io.sluice.core.metrics.."),
            arrow("the S3 sink knows only connect-api", "io.sluice.connect.s3.."),
            arrow("the Elasticsearch sink knows only connect-api", "io.sluice.connect.elasticsearch.."),
            arrow(
                    "the REST API talks to the runtime through hub-core's service interfaces and their result types",
                    "io.sluice.rest..",
                    "io.sluice.core.service..",
                    "io.sluice.core.hub..",
                    "io.sluice.core.status..",
                    "io.sluice.core.validation..",
                    "io.sluice.core.plugin..",
                    "io.sluice.core.audit.."),
            arrow("the UI depends on nothing of the hub (it uses the REST API over HTTP)", "io.sluice.ui.."));

    /** Packages: what each package-info.java says it may depend on. */
    private static final List<Arrow> PACKAGES = List.of(
            // log
            arrow(
                    "the log's core is driven by replication and offsets, never the other way",
                    "io.sluice.log",
                    "io.sluice.log.format..",
                    "io.sluice.log.segment.."),
            arrow(
                    "log.offsets depends on io.sluice.log",
                    "io.sluice.log.offsets..",
                    "io.sluice.log",
                    "io.sluice.log.format.."),
            arrow(
                    "log.replication depends on io.sluice.log and Ratis only",
                    "io.sluice.log.replication..",
                    "io.sluice.log",
                    "io.sluice.log.format.."),
            // hub-core
            arrow("core.metrics depends on nothing", "io.sluice.core.metrics.."),
            arrow("core.plugin depends on nothing of the hub", "io.sluice.core.plugin.."),
            arrow("core.config depends on core.plugin", "io.sluice.core.config..", "io.sluice.core.plugin.."),
            arrow("core.status depends on core.config only", "io.sluice.core.status..", "io.sluice.core.config.."),
            arrow(
                    "core.convert depends on core.plugin",
                    "io.sluice.core.convert..",
                    "io.sluice.core.plugin..",
                    "io.sluice.core.config.."),
            arrow(
                    "core.transform depends on core.config and core.plugin",
                    "io.sluice.core.transform..",
                    "io.sluice.core.config..",
                    "io.sluice.core.plugin.."),
            arrow(
                    "core.validation depends on core.config and core.plugin",
                    "io.sluice.core.validation..",
                    "io.sluice.core.config..",
                    "io.sluice.core.plugin.."),
            arrow(
                    "core.secrets depends on core.plugin, core.config and core.validation",
                    "io.sluice.core.secrets..",
                    "io.sluice.core.plugin..",
                    "io.sluice.core.config..",
                    "io.sluice.core.validation.."),
            arrow(
                    "core.errors depends on core.config (and plugin loading for the classes it names)",
                    "io.sluice.core.errors..",
                    "io.sluice.core.config..",
                    "io.sluice.core.plugin.."),
            arrow(
                    "core.service depends on core.status, core.validation and core.plugin",
                    "io.sluice.core.service..",
                    "io.sluice.core.status..",
                    "io.sluice.core.validation..",
                    "io.sluice.core.plugin.."),
            arrow(
                    "core.hub depends on core.status and core.service",
                    "io.sluice.core.hub..",
                    "io.sluice.core.status..",
                    "io.sluice.core.service.."),
            arrow("core.audit depends on nothing of the hub", "io.sluice.core.audit.."),
            // rest-api: core.status is allowed beside the service interfaces, whose results are its types
            arrow(
                    "rest.connectors depends on core.service and rest.errors",
                    "io.sluice.rest.connectors..",
                    "io.sluice.core.service..",
                    "io.sluice.core.status..",
                    "io.sluice.rest.errors.."),
            frozen(
                    arrow(
                            "rest.hub depends on core.hub and rest.errors",
                            "io.sluice.rest.hub..",
                            "io.sluice.core.hub..",
                            "io.sluice.core.status..",
                            "io.sluice.rest.errors.."),
                    // reuses the /connectors status JSON for replication slots instead of a shape of its own
                    "io.sluice.rest.hub.HubController"),
            arrow(
                    "rest.plugins depends on core.service, core.validation, core.plugin and rest.errors",
                    "io.sluice.rest.plugins..",
                    "io.sluice.core.service..",
                    "io.sluice.core.validation..",
                    "io.sluice.core.plugin..",
                    "io.sluice.rest.errors.."),
            arrow(
                    "rest.admin depends on core.hub and rest.errors",
                    "io.sluice.rest.admin..",
                    "io.sluice.core.hub..",
                    "io.sluice.rest.errors.."),
            arrow(
                    "rest.audit depends on core.audit",
                    "io.sluice.rest.audit..",
                    "io.sluice.core.audit..",
                    "io.sluice.rest.errors.."),
            arrow("rest.errors depends on core.service only", "io.sluice.rest.errors..", "io.sluice.core.service.."),
            frozen(
                    arrow(
                            "rest.security depends on rest.errors only",
                            "io.sluice.rest.security..",
                            "io.sluice.rest.errors.."),
                    // puts the audit filter into the security chain it builds
                    "io.sluice.rest.security.SecurityAutoConfiguration"),
            // workers
            arrow(
                    "worker.store depends on the log (and Jackson) only",
                    "io.sluice.worker.store..",
                    "io.sluice.log..",
                    "io.sluice.core.service.."),
            arrow(
                    "worker.task depends on hub-core, the log and the stores",
                    "io.sluice.worker.task..",
                    "io.sluice.core..",
                    "io.sluice.log..",
                    "io.sluice.worker.store.."),
            arrow(
                    "the runtime does not know the cluster (it uses it through Ownership), the hub views or security",
                    "io.sluice.worker.runtime..",
                    "io.sluice.core..",
                    "io.sluice.log..",
                    "io.sluice.rest..",
                    "io.sluice.connect..",
                    "io.sluice.worker.store..",
                    "io.sluice.worker.task..",
                    "io.sluice.worker.storage.."),
            frozen(
                    arrow(
                            "the cluster may depend on the stores and implements the runtime's Ownership",
                            "io.sluice.worker.cluster..",
                            "io.sluice.core..",
                            "io.sluice.log..",
                            "io.sluice.worker.store..",
                            "io.sluice.worker.task..",
                            "io.sluice.worker.storage..",
                            "io.sluice.worker.runtime.Ownership"),
                    // Spring wiring: builds the runtime's beans for a cluster from WorkerProperties
                    "io.sluice.worker.cluster.ClusterConfiguration"),
            arrow(
                    "worker.hub reads the whole worker: hub-core, the log, the runtime, the cluster, tasks and storage",
                    "io.sluice.worker.hub..",
                    "io.sluice.core..",
                    "io.sluice.log..",
                    "io.sluice.worker.runtime..",
                    "io.sluice.worker.cluster..",
                    "io.sluice.worker.task..",
                    "io.sluice.worker.storage.."),
            arrow(
                    "worker.health may depend on worker.cluster",
                    "io.sluice.worker.health..",
                    "io.sluice.log..",
                    "io.sluice.worker.cluster.."),
            arrow("worker.storage opens the log", "io.sluice.worker.storage..", "io.sluice.log.."),
            frozen(
                    arrow(
                            "worker.security depends on core.validation and the JDK only",
                            "io.sluice.worker.security..",
                            "io.sluice.core.validation.."),
                    // grew the audit topic and secrets encryption after its package-info was written
                    "io.sluice.worker.security.AuditLog",
                    "io.sluice.worker.security.EncryptedSecrets",
                    "io.sluice.worker.security.WorkerSecurityConfiguration"),
            // connectors' own packages
            arrow("jdbc.table uses JDBC metadata only", "io.sluice.connect.jdbc.table.."),
            arrow(
                    "jdbc.cdc uses JDBC, and hub-core's extension SPI (the CDC extension)",
                    "io.sluice.connect.jdbc.cdc..",
                    "io.sluice.core.extension..",
                    "io.sluice.core.status..",
                    "io.sluice.core.hub..",
                    "io.sluice.core.validation..",
                    "io.sluice.core.metrics.."),
            frozen(
                    arrow(
                            "jdbc.schema depends on connect-api data types and JDBC only",
                            "io.sluice.connect.jdbc.schema.."),
                    // reads its mapping choices from the connector's settings class
                    "io.sluice.connect.jdbc.schema.ColumnMapping"),
            arrow("s3.partition depends on connect-api and the JDK only", "io.sluice.connect.s3.partition.."),
            arrow("s3.upload depends on the AWS SDK", "io.sluice.connect.s3.upload.."),
            arrow(
                    "s3.format depends on s3.upload's buffer",
                    "io.sluice.connect.s3.format..",
                    "io.sluice.connect.s3.upload.."),
            arrow(
                    "s3.write depends on the format, partition and upload packages",
                    "io.sluice.connect.s3.write..",
                    "io.sluice.connect.s3.format..",
                    "io.sluice.connect.s3.partition..",
                    "io.sluice.connect.s3.upload.."),
            frozen(
                    arrow(
                            "elasticsearch.document is pure functions of the record",
                            "io.sluice.connect.elasticsearch.document.."),
                    // takes the connector's settings class and index-name rules
                    "io.sluice.connect.elasticsearch.document.RecordConverter"),
            frozen(
                    arrow(
                            "elasticsearch.bulk depends on the document package only",
                            "io.sluice.connect.elasticsearch.bulk..",
                            "io.sluice.connect.elasticsearch.document.."),
                    // builds its client from the connector's settings class
                    "io.sluice.connect.elasticsearch.bulk.SearchClient"));

    @Test
    void shouldKeepTheModuleArrows() {
        MODULES.forEach(a -> a.rule(a.frozen()).check(classes));
    }

    @Test
    void shouldKeepThePackageArrowsOfEachPackageInfo() {
        PACKAGES.forEach(a -> a.rule(a.frozen()).check(classes));
    }

    @Test
    void shouldKeepHubCoreFreeOfSpringAndTheLogFreeOfTheConnectApi() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta.servlet..")
                .as("hub-core never depends on Spring")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.sluice.log..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "org.springframework..", "com.fasterxml.jackson..")
                .as("the log knows nothing of connectors, Spring or JSON")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.sluice.connect..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..")
                .as("a connector jar is the jar that runs on Kafka Connect")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.sluice.ui..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.worker..", "io.sluice.rest..", "io.sluice.core..")
                .check(classes);
    }

    /**
     * Generic runtime code does not know any one connector: connector-specific behaviour comes from an
     * SPI a plugin provides. Today's Postgres CDC helpers are the frozen exception (they are moving
     * into such an SPI).
     */
    private static final Arrow GENERIC_RUNTIME = frozen(new Arrow(
            "the generic runtime uses no connector's code",
            "io.sluice.worker..",
            List.of("io.sluice.core..", "io.sluice.log..", "io.sluice.rest..", "io.sluice.ui..", "io.sluice.worker.."),
            List.of()));

    private static final Set<String> CONNECTOR_LIBRARIES = Set.of(
            "org.postgresql..",
            "io.debezium..",
            "com.zaxxer.hikari..",
            "software.amazon.awssdk..",
            "org.elasticsearch..");

    @Test
    void shouldKeepTheGenericRuntimeFreeOfConnectorSpecificCode() {
        GENERIC_RUNTIME.rule(GENERIC_RUNTIME.frozen()).check(classes);
        noClasses()
                .that(resideInAPackage("io.sluice.worker..")
                        .and(DescribedPredicate.describe(
                                "not a frozen exception",
                                c -> !GENERIC_RUNTIME.frozen().contains(c.getName()))))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(CONNECTOR_LIBRARIES.toArray(String[]::new))
                .as("the generic runtime uses no connector's libraries (JDBC drivers, Debezium, cloud SDKs)")
                .check(classes);
    }

    @Test
    void shouldListOnlyExceptionsThatStillBreakTheirRule() {
        List<String> stale = new ArrayList<>();
        List<Arrow> all = new ArrayList<>(MODULES);
        all.addAll(PACKAGES);
        all.add(GENERIC_RUNTIME);
        for (Arrow a : all) {
            for (String c : a.frozen()) {
                // a class that is gone (moved, split) needs no exception; one that is still here must still need it
                if (classes.contain(c) && !a.frozenRule(c).evaluate(classes).hasViolation()) {
                    stale.add(c + " (" + a.name() + ")");
                }
            }
        }
        assertThat(stale)
                .as("these classes keep their rule now: remove them from the frozen exceptions")
                .isEmpty();
    }

    @Test
    void shouldImportEveryModule() {
        for (String p : List.of(
                "io.sluice.core",
                "io.sluice.log",
                "io.sluice.rest",
                "io.sluice.ui",
                "io.sluice.worker",
                "io.sluice.connect.jdbc",
                "io.sluice.connect.s3",
                "io.sluice.connect.elasticsearch")) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(p)))
                    .as("classes of %s are imported", p)
                    .isTrue();
        }
    }
}
