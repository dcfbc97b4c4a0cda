package testdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tipline/migrations"
	"tipline/store"
)

// templateLockKey is the advisory lock under which a template is built,
// so that test binaries of several packages running at once agree on one.
const templateLockKey int64 = 0x74670100

// templatePrefix starts the name of every template database.
const templatePrefix = "tipline_tmpl_"

var (
	tmplMu   sync.Mutex
	tmplName string
)

// templateFor returns the name of the migrated template database for the
// current migrations, building it on first use. Its name carries a hash
// of the migrations, so a changed migration builds a new one; templates
// of other migrations are dropped when nobody is copying them.
func templateFor(ctx context.Context, admin string) (string, error) {
	tmplMu.Lock()
	defer tmplMu.Unlock()
	if tmplName != "" {
		return tmplName, nil
	}
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%d %s %d\n%s\n", m.Version, m.Name, len(m.SQL), m.SQL)
	}
	name := templatePrefix + hex.EncodeToString(h.Sum(nil))[:16]
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("testdb: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLockKey); err != nil {
		return "", fmt.Errorf("testdb: template lock: %w", err)
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, templateLockKey) //nolint:errcheck
	if err := buildTemplate(ctx, conn, admin, name, ms); err != nil {
		return "", err
	}
	dropStaleTemplates(ctx, conn, name)
	dropLeftovers(ctx, conn)
	tmplName = name
	return name, nil
}

// buildTemplate creates and migrates the template name unless it exists.
// It is built under another name and renamed when complete, so a template
// under its final name is always whole.
func buildTemplate(ctx context.Context, conn *pgx.Conn, admin, name string, ms []store.Migration) error {
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return err
	}
	build := name + "_build"
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + ident(build) + " WITH (FORCE)",
		"CREATE DATABASE " + ident(build),
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("testdb: template: %w", err)
		}
	}
	pool, err := store.Open(ctx, withDB(admin, build))
	if err != nil {
		return fmt.Errorf("testdb: template: %w", err)
	}
	_, err = store.Migrate(ctx, pool, ms)
	pool.Close()
	if err != nil {
		return fmt.Errorf("testdb: template: migrate: %w", err)
	}
	for _, sql := range []string{
		"ALTER DATABASE " + ident(build) + " RENAME TO " + ident(name),
		"ALTER DATABASE " + ident(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("testdb: template: %w", err)
		}
	}
	return nil
}

// dropStaleTemplates drops the templates of other migrations (edited or
// older checkouts) that no test copied for an hour; one being copied right
// now stays until the next time.
func dropStaleTemplates(ctx context.Context, conn *pgx.Conn, keep string) {
	_, _ = conn.Exec(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS 'tipline test template, used %d'", ident(keep), time.Now().Unix()))
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database
		WHERE datname LIKE $1 AND datname <> $2 AND datname NOT LIKE '%\_build'
		  AND coalesce(substring(shobj_description(oid, 'pg_database') FROM 'used (\d+)$')::bigint, 0)
		      < extract(epoch FROM now()) - 3600`,
		templatePrefix+"%", keep)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident(n)+" WITH IS_TEMPLATE false"); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(n))
		}
	}
}

// dropLeftovers drops the test databases of runs that were killed before
// their cleanup: those created over a day ago that nobody is using.
func dropLeftovers(ctx context.Context, conn *pgx.Conn) {
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database
		WHERE datname ~ ('^' || $1 || '[0-9]+_')
		  AND substring(datname FROM length($1) + 1 FOR 10)::bigint < extract(epoch FROM now()) - 86400`, testPrefix)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(n)) // fails while in use: kept
	}
}

// createFromTemplate creates database name as a copy of the template,
// rebuilding the template once if another process dropped it meanwhile.
func createFromTemplate(ctx context.Context, conn *pgx.Conn, admin, name string) error {
	for attempt := 0; ; attempt++ {
		tmpl, err := templateFor(ctx, admin)
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tmpl))
		var pgErr *pgconn.PgError
		if err == nil || attempt > 0 || !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
			return err
		}
		tmplMu.Lock()
		tmplName = ""
		tmplMu.Unlock()
	}
}

// useTemplate says whether migrated databases are copied from a template
// (the default); TIPLINE_TESTDB_TEMPLATE=0 migrates each one instead, to
// compare.
func useTemplate() bool { return os.Getenv("TIPLINE_TESTDB_TEMPLATE") != "0" }

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

// withDB is admin with its database replaced by db.
func withDB(admin, db string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + db
	return u.String()
}
