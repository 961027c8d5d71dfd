// Package sqlstore is what the SQLite and PostgreSQL stores share: the
// repositories written once in SQL with ? placeholders (rebound per
// dialect by sqlx), the row types, the migration runner and the
// transaction that seals audit entries into the hash chain at commit.
//
// It is internal: storage/sqlite and storage/postgres configure it with a
// Dialect and their own embedded migrations; nobody else needs it.
package sqlstore
