/**
 * What the modules' tests share: the real peers they run against (NSD, Postfix, OpenDKIM, dkimpy,
 * pyspf), found on this machine or reported as missing, and the paths of the project's vectors and
 * of the public conformance suites. Not published; a test-scope dependency only.
 */
package org.authmill.testkit;
