package org.authmill.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * Every {@link ModuleRules} rule over the main classes of every module (dns, spf, dkim, dmarc,
 * auth, milter, filter-server, cli); test classes, this module's fixtures among them, are left out.
 * A class that reaches upward or sideways fails the build here.
 */
@AnalyzeClasses(packages = "org.authmill", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {
  @ArchTest static final ArchTests moduleRules = ArchTests.in(ModuleRules.class);
}
