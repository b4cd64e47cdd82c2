/**
 * A fixture for the architecture tests: classes in the store module's package tree that break a
 * module rule on purpose. Test sources only; never part of the store module.
 */
package org.authmill.store.violation;
