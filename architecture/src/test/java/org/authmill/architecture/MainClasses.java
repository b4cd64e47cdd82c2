package org.authmill.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The classes the rules are checked against: the main classes of every module, and fixtures. */
final class MainClasses {
  private MainClasses() {}

  /** The main classes of every module (as {@link ModuleRulesTest} imports them). */
  static JavaClasses only() {
    return new ClassFileImporter()
        .withImportOption(new ImportOption.DoNotIncludeTests())
        .importPackages("org.authmill");
  }

  /** The main classes of every module and one test class, a fixture that breaks a rule. */
  static JavaClasses and(Class<?> fixture) {
    String classFile = "/" + fixture.getName().replace('.', '/') + ".class";
    ImportOption mainClasses = new ImportOption.DoNotIncludeTests();
    return new ClassFileImporter()
        .withImportOption(
            location -> mainClasses.includes(location) || location.contains(classFile))
        .importPackages("org.authmill");
  }
}
