/// One forward-only schema change, applied once and recorded by id.
///
/// Each backend keeps its list of migrations in order, applies the ones its database has not
/// recorded yet, each in its own transaction, and records the id in `schema_migration`. A
/// migration that has shipped is never edited or renamed: a database that already applied it
/// would never see the change. Add a new migration instead.
///
/// ```swift
/// Migration(id: "2026-11-create-turn", statements: ["CREATE TABLE turn (...) STRICT", "CREATE INDEX ..."])
/// ```
package struct Migration: Sendable {
    /// A stable, sortable name such as `"2026-11-create-turn"`.
    package let id: String
    /// SQL statements run in order inside one transaction; constants only, never built from values.
    package let statements: [String]

    /// Names a list of statements.
    package init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }
}
