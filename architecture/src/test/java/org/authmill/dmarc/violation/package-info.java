/**
 * A fixture for the architecture tests: classes in the dmarc module's package tree that break a
 * module rule on purpose. Test sources only; never part of the dmarc module.
 */
package org.authmill.dmarc.violation;
