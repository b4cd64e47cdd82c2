package org.authmill.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.authmill.arc.violation.ArcUsesMilter;
import org.authmill.auth.violation.AuthUsesVertx;
import org.authmill.dkim.violation.DkimUsesSpf;
import org.authmill.dmarc.violation.DmarcUsesLogback;
import org.authmill.dns.violation.DnsUsesDmarc;
import org.authmill.keys.violation.KeysUsesFilterServer;
import org.authmill.milter.violation.MilterUsesSpf;
import org.authmill.server.violation.ServerUsesPicocli;
import org.authmill.server.violation.ServerUsesSunMisc;
import org.authmill.server.violation.ServerUsesVertxInternals;
import org.authmill.spf.violation.SpfUsesAuth;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ModuleRules} fails when it is broken: checked against the main classes of
 * every module plus one fixture class that breaks it, the rule reports that class and what it must
 * not use, and nothing else (so the main classes alone pass, as {@link ModuleRulesTest} checks).
 */
class ModuleRulesViolationTest {
  @Test
  void enginesNeverImportAuthMilterServerOrCli_spfUsesAuth_fails() {
    assertFailsOn(
        ModuleRules.engines_neverImportAuthMilterServerOrCli,
        SpfUsesAuth.class,
        "org.authmill.auth.results.MethodResult");
  }

  @Test
  void enginesImportNoOtherEngineButDns_dkimUsesSpf_fails() {
    assertFailsOn(
        ModuleRules.engines_importNoOtherEngineButDns,
        DkimUsesSpf.class,
        "org.authmill.spf.SpfResult");
  }

  @Test
  void enginesImportNoOtherEngineButDns_dnsUsesDmarc_fails() {
    assertFailsOn(
        ModuleRules.engines_importNoOtherEngineButDns,
        DnsUsesDmarc.class,
        "org.authmill.dmarc.DmarcMode");
  }

  @Test
  void keysStandOnDnsAndDkimOnly_keysUsesFilterServer_fails() {
    assertFailsOn(
        ModuleRules.keys_standOnDnsAndDkimOnly,
        KeysUsesFilterServer.class,
        "org.authmill.server.ConfigException");
  }

  @Test
  void authImportsNoServerStack_authUsesVertx_fails() {
    assertFailsOn(
        ModuleRules.auth_importsNoServerStack, AuthUsesVertx.class, "io.vertx.core.Future");
  }

  @Test
  void arcImportsNoServerStack_arcUsesMilter_fails() {
    assertFailsOn(
        ModuleRules.arc_importsNoServerStack, ArcUsesMilter.class, "org.authmill.milter.Decision");
  }

  @Test
  void milterImportsNoAuthenticationOrApplication_milterUsesSpf_fails() {
    assertFailsOn(
        ModuleRules.milter_importsNoAuthenticationOrApplication,
        MilterUsesSpf.class,
        "org.authmill.spf.SpfResult");
  }

  @Test
  void filterServerImportsNoCli_serverUsesPicocli_fails() {
    assertFailsOn(
        ModuleRules.filterServer_importsNoCli, ServerUsesPicocli.class, "picocli.CommandLine");
  }

  @Test
  void librariesUseNoLogbackClasses_dmarcUsesLogback_fails() {
    assertFailsOn(
        ModuleRules.libraries_useNoLogbackClasses,
        DmarcUsesLogback.class,
        "ch.qos.logback.classic.Level");
  }

  @Test
  void jdkInternalsUsedByOneClassOnly_secondClassUsesSunMisc_fails() {
    assertFailsOn(
        ModuleRules.jdkInternals_usedByOneClassOnly, ServerUsesSunMisc.class, "sun.misc.Signal");
  }

  @Test
  void vertxInternalsUsedByOneClassOnly_secondClassUsesNetSocketInternal_fails() {
    assertFailsOn(
        ModuleRules.vertxInternals_usedByOneClassOnly,
        ServerUsesVertxInternals.class,
        "io.vertx.core.internal.net.NetSocketInternal");
  }

  @Test
  void storeImportsNoOtherModule_storeUsesReport_fails() {
    assertFailsOn(
        ModuleRules.store_importsNoOtherModule,
        org.authmill.store.violation.StoreUsesReport.class,
        "org.authmill.report.ReportPeriod");
  }

  @Test
  void reportImportsNoMilterServerOrCli_reportUsesMilter_fails() {
    assertFailsOn(
        ModuleRules.report_importsNoMilterServerOrCli,
        org.authmill.report.violation.ReportUsesMilter.class,
        "org.authmill.milter.Verdict");
  }

  private static void assertFailsOn(ArchRule rule, Class<?> fixture, String forbidden) {
    EvaluationResult result = rule.evaluate(MainClasses.and(fixture));
    assertThat(result.hasViolation()).as("%s breaks the rule", fixture.getSimpleName()).isTrue();
    List<String> details = result.getFailureReport().getDetails();
    assertThat(details)
        .as("the violations reported")
        .isNotEmpty()
        .allSatisfy(detail -> assertThat(detail).contains(fixture.getName()))
        .anySatisfy(detail -> assertThat(detail).contains(forbidden));
  }
}
