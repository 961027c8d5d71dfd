package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket/audit"
	"github.com/docketkit/docket/storage"
)

// Dialect is what differs between the SQL engines.
type Dialect struct {
	// Name is "sqlite" or "postgres", for messages.
	Name string
	// IsUnique reports a unique or primary-key violation.
	IsUnique func(error) bool
	// IsForeignKey reports a foreign-key violation.
	IsForeignKey func(error) bool
	// IsBadText reports a value the engine cannot hold as text (invalid
	// UTF-8, NUL); nil where every byte string is accepted.
	IsBadText func(error) bool
	// LockHead is the statement that reads and locks the audit head row
	// until the transaction ends.
	LockHead string
	// ViewOptions begin View's transactions: what it takes for every read
	// in one View to see the same snapshot.
	ViewOptions *sql.TxOptions
	// TeamHas returns the condition that the JSON team column of the case
	// row named alias lists the user bound to its one placeholder.
	TeamHas func(alias string) string
	// SkipLocked ends a SELECT that claims rows for one worker, so that
	// concurrent claimers skip rows another holds (" FOR UPDATE SKIP
	// LOCKED"); "" where writers are serialised anyway (SQLite).
	SkipLocked string
}

// Store is a storage.Store over a database/sql database.
type Store struct {
	writer *sqlx.DB // all read-write transactions
	reader *sqlx.DB // read-only transactions; may be the writer
	d      Dialect

	mu    sync.Mutex
	stmts map[stmtKey]*sqlx.Stmt
	// head is the audit head as of this store's last commit, a hint for
	// the next one (checked by compare-and-set, never trusted).
	head      head
	headKnown bool
	// counters are the counter values as of this store's last commits,
	// hints checked the same way.
	counters map[string]int64
}

type stmtKey struct {
	db    *sqlx.DB
	query string
}

var _ storage.Store = (*Store)(nil)

// New returns a store that writes through writer and reads through reader.
// It does not migrate: call Migrate first.
func New(writer, reader *sqlx.DB, d Dialect) *Store {
	return &Store{writer: writer, reader: reader, d: d, stmts: map[stmtKey]*sqlx.Stmt{}, counters: map[string]int64{}}
}

// Writer returns the read-write database handle, for tests and benchmarks
// that must reach past the store.
func (s *Store) Writer() *sqlx.DB { return s.writer }

// Reader returns the read-only database handle (the writer's, where the
// engine has one pool).
func (s *Store) Reader() *sqlx.DB { return s.reader }

// Close closes the database handles.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		_ = st.Close()
	}
	s.stmts = map[stmtKey]*sqlx.Stmt{}
	s.mu.Unlock()
	err := s.writer.Close()
	if s.reader != s.writer {
		err = errors.Join(err, s.reader.Close())
	}
	return err
}

// Update runs fn in a read-write transaction and commits it with its
// audit entries sealed into the chain.
func (s *Store) Update(ctx context.Context, fn func(storage.Tx) error) (err error) {
	sqltx, err := s.writer.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", s.d.Name, err)
	}
	tx := &txn{s: s, db: s.writer, tx: sqltx, write: true}
	defer func() {
		if p := recover(); p != nil {
			_ = sqltx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqltx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.flushAudit(ctx); err != nil {
		return err
	}
	if err = sqltx.Commit(); err != nil {
		s.mu.Lock()
		s.headKnown = false
		clear(s.counters)
		s.mu.Unlock()
		return fmt.Errorf("%s: commit: %w", s.d.Name, err)
	}
	s.mu.Lock()
	if tx.newHead != nil && (!s.headKnown || tx.newHead.Seq > s.head.Seq) {
		s.head, s.headKnown = *tx.newHead, true
	}
	for name, v := range tx.drawn {
		if v > s.counters[name] {
			s.counters[name] = v
		}
	}
	s.mu.Unlock()
	return nil
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(storage.Tx) error) error {
	sqltx, err := s.reader.BeginTxx(ctx, s.d.ViewOptions)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", s.d.Name, err)
	}
	defer func() { _ = sqltx.Rollback() }()
	return fn(&txn{s: s, db: s.reader, tx: sqltx})
}

// staticQueries are the fixed statements the repositories run; New
// prepares each once on each handle. Queries built at run time (list
// filters) run unprepared.
var staticQueries []staticQuery

// staticQuery is a fixed query and the engine it is for ("" for both).
type staticQuery struct{ engine, q string }

// static registers a fixed query for preparing and returns it.
func static(q string) string {
	staticQueries = append(staticQueries, staticQuery{"", q})
	return q
}

// staticFor registers a fixed query that only one engine ("sqlite",
// "postgres") understands.
func staticFor(engine, q string) string {
	staticQueries = append(staticQueries, staticQuery{engine, q})
	return q
}

// Prepare prepares every static query on the store's handles. It must run
// before the first transaction: SQLite's writer has a single connection,
// which a prepare during a transaction would wait for forever.
func (s *Store) Prepare(ctx context.Context) error {
	for _, db := range []*sqlx.DB{s.writer, s.reader} {
		for _, sq := range append(staticQueries, staticQuery{s.d.Name, s.d.LockHead}) {
			if sq.engine != "" && sq.engine != s.d.Name {
				continue
			}
			q := sq.q
			k := stmtKey{db, q}
			if _, ok := s.stmts[k]; ok {
				continue
			}
			st, err := db.PreparexContext(ctx, db.Rebind(q))
			if err != nil {
				return fmt.Errorf("%s: prepare %q: %w", s.d.Name, q, err)
			}
			s.stmts[k] = st
		}
	}
	return nil
}

// stmt returns the statement prepared for query on the tx's handle, bound
// to the tx, or nil when the query is not a prepared one.
func (t *txn) stmt(ctx context.Context, query string) *sqlx.Stmt {
	t.s.mu.Lock()
	st := t.s.stmts[stmtKey{t.db, query}]
	t.s.mu.Unlock()
	if st == nil {
		return nil
	}
	return t.tx.StmtxContext(ctx, st)
}

// txn is one transaction and the audit entries it will append at commit.
type txn struct {
	s       *Store
	db      *sqlx.DB
	tx      *sqlx.Tx
	write   bool
	pending []audit.Entry
	newHead *head            // set once the pending entries are written
	drawn   map[string]int64 // counter values drawn, published at commit
}

// counterHint returns the counter's value as this transaction or the
// store's last commit left it.
func (t *txn) counterHint(name string) (int64, bool) {
	if v, ok := t.drawn[name]; ok {
		return v, true
	}
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	v, ok := t.s.counters[name]
	return v, ok
}

// drew records a value drawn from a counter in this transaction.
func (t *txn) drew(name string, v int64) {
	if t.drawn == nil {
		t.drawn = map[string]int64{}
	}
	t.drawn[name] = v
}

// errReadOnly is returned by writes inside View.
var errReadOnly = errors.New("sqlstore: write in a read-only transaction")

// exec runs a write statement.
func (t *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if !t.write {
		return nil, errReadOnly
	}
	var res sql.Result
	var err error
	if st := t.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = t.tx.ExecContext(ctx, t.tx.Rebind(query), args...)
	}
	return res, t.translate(err)
}

// get reads one row into dest.
func (t *txn) get(ctx context.Context, dest any, query string, args ...any) error {
	if st := t.stmt(ctx, query); st != nil {
		return t.translateRead(st.GetContext(ctx, dest, args...))
	}
	return t.translateRead(t.tx.GetContext(ctx, dest, t.tx.Rebind(query), args...))
}

// selectRows reads rows into dest, a pointer to a slice. Queries built at
// run time (filters) are not prepared statements.
func (t *txn) selectRows(ctx context.Context, dest any, query string, args ...any) error {
	if st := t.stmt(ctx, query); st != nil {
		return t.translateRead(st.SelectContext(ctx, dest, args...))
	}
	return t.translateRead(t.tx.SelectContext(ctx, dest, t.tx.Rebind(query), args...))
}

// translateRead is translate for lookups: a key the engine cannot even
// hold as text matches no record. (Writes validate their text first.)
func (t *txn) translateRead(err error) error {
	if err != nil && t.s.d.IsBadText != nil && t.s.d.IsBadText(err) {
		return fmt.Errorf("%w: %v", storage.ErrNotFound, err)
	}
	return t.translate(err)
}

// translate maps driver errors to the storage sentinels.
func (t *txn) translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return storage.ErrNotFound
	case t.s.d.IsUnique(err):
		return fmt.Errorf("%w: %v", storage.ErrExists, err)
	case strings.Contains(err.Error(), "legal hold"):
		// A trigger refused to delete what a hold covers.
		return fmt.Errorf("%w: %v", storage.ErrHeld, err)
	case t.s.d.IsForeignKey(err):
		return fmt.Errorf("%w: a referenced record does not exist: %v", storage.ErrNotFound, err)
	}
	return err
}

// Audit statements. Entries are inserted up to maxAuditRows per
// statement; there is no ON CONFLICT here: a clash of sequence numbers must
// fail the transaction, never drop an entry.
const maxAuditRows = 4

var (
	insertAuditRows [maxAuditRows + 1]string
	// casHead moves the head only if it is still where this process last
	// saw it: one statement on the common path instead of a locking read
	// and a write.
	casHead = static("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ?")
)

func init() {
	cols := strings.Join(auditT.cols, ", ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(auditT.cols)), ", ") + ")"
	for n := 1; n <= maxAuditRows; n++ {
		insertAuditRows[n] = static("INSERT INTO audit_log (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
	}
}

// head is where the audit chain ends.
type head struct {
	Seq  int64  `db:"seq"`
	Hash string `db:"hash"`
}

// flushAudit seals the queued entries onto the chain and writes them with
// the new head. It first tries the head this store last committed, moving
// it with a compare-and-set; if another writer (or process) moved it since,
// it reads the head under its lock and seals again.
func (t *txn) flushAudit(ctx context.Context) error {
	if len(t.pending) == 0 {
		return nil
	}
	t.s.mu.Lock()
	cached, known := t.s.head, t.s.headKnown
	t.s.mu.Unlock()
	if known {
		next, err := t.seal(cached)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, casHead, next.Seq, next.Hash, cached.Seq, cached.Hash)
		if err != nil {
			return fmt.Errorf("%s: moving the audit head: %w", t.s.d.Name, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return t.insertAudit(ctx, next)
		}
	}
	var cur head
	if err := t.get(ctx, &cur, t.s.d.LockHead); err != nil {
		return fmt.Errorf("%s: reading the audit head: %w", t.s.d.Name, err)
	}
	next, err := t.seal(cur)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, updateHead, next.Seq, next.Hash); err != nil {
		return fmt.Errorf("%s: moving the audit head: %w", t.s.d.Name, err)
	}
	return t.insertAudit(ctx, next)
}

// seal numbers and hashes the pending entries after h and returns the new
// head.
func (t *txn) seal(h head) (head, error) {
	prev, err := audit.ParseHash(h.Hash)
	if err != nil {
		return head{}, fmt.Errorf("%s: audit head: %w", t.s.d.Name, err)
	}
	seq := h.Seq
	for i := range t.pending {
		audit.Seal(&t.pending[i], seq, prev)
		seq, prev = t.pending[i].Seq, t.pending[i].Hash
	}
	return head{Seq: seq, Hash: prev.String()}, nil
}

// insertAudit writes the sealed entries and remembers the head to publish
// once the transaction commits.
func (t *txn) insertAudit(ctx context.Context, next head) error {
	for start := 0; start < len(t.pending); start += maxAuditRows {
		batch := t.pending[start:min(start+maxAuditRows, len(t.pending))]
		args := make([]any, 0, len(batch)*len(auditT.cols))
		for i := range batch {
			args = append(args, values(auditRowOf(&batch[i]))...)
		}
		if _, err := t.exec(ctx, insertAuditRows[len(batch)], args...); err != nil {
			return fmt.Errorf("%s: appending audit entries %d to %d: %w", t.s.d.Name, batch[0].Seq, batch[len(batch)-1].Seq, err)
		}
	}
	t.pending = nil
	t.newHead = &next
	return nil
}

// Migrator is what Migrate needs of a database handle: a pool (*sqlx.DB)
// or a single connection (*sqlx.Conn), such as one holding a lock.
type Migrator interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTxx(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error)
}

// Migrate applies, in order, every numbered migration in dir of fsys that
// the database has not yet recorded in schema_migrations, each in its own
// transaction. Files are named NNNN_description.sql. Whether a migration
// is done is read inside its own transaction, so that two processes
// migrating at once (SQLite's write lock, PostgreSQL's advisory lock
// around Migrate) never apply one twice.
func Migrate(ctx context.Context, db Migrator, fsys fs.FS, dir string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	files, err := Migrations(fsys, dir)
	if err != nil {
		return err
	}
	for _, m := range files {
		body, err := fs.ReadFile(fsys, path.Join(dir, m.Name))
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		var done int
		if err := tx.GetContext(ctx, &done, tx.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if done > 0 {
			_ = tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`), m.Version, m.Name); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

// Migration is one numbered migration file.
type Migration struct {
	Version int
	Name    string
}

// Migrations lists the migration files in dir, in version order, and
// rejects misnamed or duplicate numbers.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migrations: %s is not named NNNN_description.sql", e.Name())
		}
		if len(out) > 0 && out[len(out)-1].Version == v {
			return nil, fmt.Errorf("migrations: version %d appears twice", v)
		}
		out = append(out, Migration{Version: v, Name: e.Name()})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	return out, nil
}
