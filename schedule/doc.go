// Package schedule runs Tipline's periodic jobs (retention purge, provider
// redaction, directory reload, and whatever else must happen "every so
// often") under one rule:
//
//   - A shared job runs on one instance at a time and once per interval
//     across all instances: each attempt takes a PostgreSQL advisory lock
//     derived from the job's lock name (pg_try_advisory_lock, never waiting),
//     reads the job's "last run" row in the kv table, runs the job when that
//     row is at least Every old, and writes the row after a success. A
//     failed run writes nothing, so the next check retries.
//   - A per-instance job (PerInstance) keeps in-memory state of one process
//     in step, such as the bot's copy of the resource directory: every
//     instance runs it every interval, with no lock and no row.
//
// Jobs that share a Lock never overlap, even on different instances (the
// redaction and the purge both touch provider copies and share "privacy").
//
// Why not River's periodic jobs: River is not a dependency, it brings its
// own tables, migrations and worker pool, and the jobs here are a handful of
// idempotent loops that need exactly the two primitives above, which are
// about a hundred lines over the existing advisory lock and kv table.
package schedule
