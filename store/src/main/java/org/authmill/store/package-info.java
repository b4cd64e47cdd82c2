/**
 * The persistent store that reporting features share (DMARC aggregate reports now, the feedback
 * importer later): {@link org.authmill.store.Store} opens an embedded SQLite file or PostgreSQL
 * ({@link org.authmill.store.StoreLocation}) behind a connection pool, and applies each feature's
 * versioned migrations under its own history ({@link org.authmill.store.Migrations}).
 */
package org.authmill.store;
