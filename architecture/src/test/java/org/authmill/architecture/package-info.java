/**
 * Architecture tests: the module dependency rules ({@link org.authmill.architecture.ModuleRules}),
 * checked against every main module, and shown to fail on fixture classes that break them.
 */
package org.authmill.architecture;
