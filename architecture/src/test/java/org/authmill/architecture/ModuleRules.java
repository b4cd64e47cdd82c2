package org.authmill.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.regex.Pattern;

/**
 * The dependency direction of the modules, as rules over their packages: {@code dns} at the bottom;
 * the engines {@code spf}, {@code dkim}, {@code dmarc} each on {@code dns} only; {@code auth} on
 * the engines; {@code milter} on none of them; {@code filter-server} on auth and milter; {@code
 * cli} on top. A module never reaches upward or sideways.
 *
 * <p>{@link ModuleRulesTest} checks every rule against the main classes of every module; {@link
 * ModuleRulesViolationTest} shows that each rule fails on a class that breaks it.
 */
final class ModuleRules {
  static final String DNS = "org.authmill.dns..";
  static final String SPF = "org.authmill.spf..";
  static final String DKIM = "org.authmill.dkim..";
  static final String DMARC = "org.authmill.dmarc..";
  static final String AUTH = "org.authmill.auth..";
  static final String MILTER = "org.authmill.milter..";
  static final String FILTER_SERVER = "org.authmill.server..";
  static final String CLI = "org.authmill.cli..";

  static final String VERTX = "io.vertx..";
  static final String PICOCLI = "picocli..";
  static final String LOGBACK = "ch.qos.logback..";

  /** The one class allowed to use JDK-internal {@code sun.*} APIs ({@code sun.misc.Signal}). */
  static final String JDK_INTERNALS_CLASS = "org.authmill.cli.Signals";

  /** The one class allowed to use Vert.x-internal APIs ({@code NetSocketInternal}). */
  static final String VERTX_INTERNALS_CLASS = "org.authmill.milter.ImmediateClose";

  private ModuleRules() {}

  /** dns, spf, dkim and dmarc are libraries below everything else. */
  @ArchTest
  static final ArchRule engines_neverImportAuthMilterServerOrCli =
      noClasses()
          .that()
          .resideInAnyPackage(DNS, SPF, DKIM, DMARC)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(AUTH, MILTER, FILTER_SERVER, CLI)
          .because("the engines (dns, spf, dkim, dmarc) are the bottom of the module tree");

  /** spf, dkim and dmarc each stand on dns alone; dns stands on none of them. */
  @ArchTest
  static final ArchRule engines_importNoOtherEngineButDns =
      CompositeArchRule.of(engineOnDnsOnly(SPF, DKIM, DMARC))
          .and(engineOnDnsOnly(DKIM, SPF, DMARC))
          .and(engineOnDnsOnly(DMARC, SPF, DKIM))
          .and(
              noClasses()
                  .that()
                  .resideInAPackage(DNS)
                  .should()
                  .dependOnClassesThat()
                  .resideInAnyPackage(SPF, DKIM, DMARC)
                  .because("dns is the layer the engines share"));

  /** auth is the library a Java developer adds to check a message: no server stack comes along. */
  @ArchTest
  static final ArchRule auth_importsNoServerStack =
      noClasses()
          .that()
          .resideInAPackage(AUTH)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(VERTX, PICOCLI, LOGBACK, MILTER, FILTER_SERVER, CLI)
          .because("auth is a plain library: no Vert.x, picocli or logback, nothing above it");

  /** milter is the protocol alone: it knows nothing of SPF, DKIM, DMARC or what the filter does. */
  @ArchTest
  static final ArchRule milter_importsNoAuthenticationOrApplication =
      noClasses()
          .that()
          .resideInAPackage(MILTER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SPF, DKIM, DMARC, AUTH, FILTER_SERVER, CLI)
          .because("milter is a reusable library of the milter protocol");

  /** The filter is run by the command, never the other way round. */
  @ArchTest
  static final ArchRule filterServer_importsNoCli =
      noClasses()
          .that()
          .resideInAPackage(FILTER_SERVER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(CLI, PICOCLI)
          .because("filter-server is a library under the authmill command");

  /** Libraries log through SLF4J; only the application (cli) binds and configures logback. */
  @ArchTest
  static final ArchRule libraries_useNoLogbackClasses =
      noClasses()
          .that()
          .resideInAPackage("org.authmill..")
          .and()
          .resideOutsideOfPackage(CLI)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(LOGBACK)
          .because("a library logs through SLF4J and leaves the binding to the application");

  /** JDK-internal APIs stay behind one small class. */
  @ArchTest
  static final ArchRule jdkInternals_usedByOneClassOnly =
      noClasses()
          .that()
          .resideInAPackage("org.authmill..")
          .and()
          .haveNameNotMatching(classAndNested(JDK_INTERNALS_CLASS))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("sun..", "jdk.internal..")
          .because(
              "sun.* may change or go in any JDK: one class holds it ("
                  + JDK_INTERNALS_CLASS
                  + ")");

  /** Vert.x-internal APIs stay behind one small class. */
  @ArchTest
  static final ArchRule vertxInternals_usedByOneClassOnly =
      noClasses()
          .that()
          .resideInAPackage("org.authmill..")
          .and()
          .haveNameNotMatching(classAndNested(VERTX_INTERNALS_CLASS))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..internal..", "io.vertx..impl..")
          .because(
              "Vert.x internals may change in any release: one class holds them ("
                  + VERTX_INTERNALS_CLASS
                  + ")");

  private static ArchRule engineOnDnsOnly(String engine, String... otherEngines) {
    return noClasses()
        .that()
        .resideInAPackage(engine)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherEngines)
        .because("spf, dkim and dmarc are independent engines on dns only");
  }

  private static String classAndNested(String className) {
    return Pattern.quote(className) + "(\\$.*)?";
  }
}
