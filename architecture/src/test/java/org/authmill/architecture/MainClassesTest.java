package org.authmill.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MainClassesTest {
  @Test
  void only_everyMainModule_importedWithoutTestClasses() {
    JavaClasses classes = MainClasses.only();
    Set<String> packages =
        classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    // One package of each module: the rules would pass vacuously over a module that is missing.
    assertThat(packages)
        .contains(
            "org.authmill.dns",
            "org.authmill.spf",
            "org.authmill.dkim",
            "org.authmill.dmarc",
            "org.authmill.auth",
            "org.authmill.auth.results",
            "org.authmill.arc",
            "org.authmill.milter",
            "org.authmill.server",
            "org.authmill.cli");
    assertThat(packages)
        .noneMatch(p -> p.endsWith(".violation") || p.equals("org.authmill.architecture"));
    assertThat(classes.contain(ModuleRules.JDK_INTERNALS_CLASS)).isTrue();
    assertThat(classes.contain(ModuleRules.VERTX_INTERNALS_CLASS)).isTrue();
  }

  @Test
  void and_aFixture_importsItBesideTheMainClasses() {
    JavaClasses classes = MainClasses.and(org.authmill.spf.violation.SpfUsesAuth.class);
    assertThat(classes.contain(org.authmill.spf.violation.SpfUsesAuth.class)).isTrue();
    assertThat(classes.contain(org.authmill.dkim.violation.DkimUsesSpf.class)).isFalse();
    assertThat(classes.contain("org.authmill.auth.Authenticator")).isTrue();
  }
}
