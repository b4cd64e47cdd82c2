/**
 * A fixture for the architecture tests: classes in the dns module's package tree that break a
 * module rule on purpose. Test sources only; never part of the dns module.
 */
package org.authmill.dns.violation;
