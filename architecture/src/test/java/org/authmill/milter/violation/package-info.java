/**
 * A fixture for the architecture tests: classes in the milter module's package tree that break a
 * module rule on purpose. Test sources only; never part of the milter module.
 */
package org.authmill.milter.violation;
