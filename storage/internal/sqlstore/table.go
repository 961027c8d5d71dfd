package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/docketkit/docket/storage"
)

// table describes one table whose rows scan into R: its columns come from
// R's db tags, so the column list is written once.
type table[R any] struct {
	name, kind string
	cols       []string
	selectSQL  string // SELECT cols FROM name
	insertSQL  string
	updateSQL  string // SET every column but id; WHERE id = ? AND version = ?
	deleteSQL  string // WHERE id = ? AND version = ?
}

func newTable[R any](name, kind string) *table[R] {
	t := &table[R]{name: name, kind: kind}
	rt := reflect.TypeFor[R]()
	for i := range rt.NumField() {
		t.cols = append(t.cols, rt.Field(i).Tag.Get("db"))
	}
	list := strings.Join(t.cols, ", ")
	t.selectSQL = "SELECT " + list + " FROM " + name
	// ON CONFLICT DO NOTHING turns a duplicate key into "no row inserted"
	// rather than an error, which in PostgreSQL would abort the whole
	// transaction; insert reports it as storage.ErrExists.
	t.insertSQL = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT DO NOTHING", name, list, strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", "))
	var set []string
	for _, c := range t.cols[1:] {
		set = append(set, c+" = ?")
	}
	t.updateSQL = fmt.Sprintf("UPDATE %s SET %s WHERE %s = ? AND version = ?", name, strings.Join(set, ", "), t.cols[0])
	static(t.selectSQL + " WHERE " + t.cols[0] + " = ?")
	static(t.insertSQL)
	t.deleteSQL = fmt.Sprintf("DELETE FROM %s WHERE %s = ? AND version = ?", name, t.cols[0])
	if slices.Contains(t.cols, "version") {
		static(t.updateSQL)
		static(t.deleteSQL)
		static("SELECT version FROM " + name + " WHERE " + t.cols[0] + " = ?")
	}
	return t
}

// values returns a row's fields in column order.
func values[R any](r R) []any {
	rv := reflect.ValueOf(r)
	out := make([]any, rv.NumField())
	for i := range out {
		out[i] = rv.Field(i).Interface()
	}
	return out
}

func (t *table[R]) insert(ctx context.Context, tx *txn, key string, r R) error {
	res, err := tx.exec(ctx, t.insertSQL, values(r)...)
	if err != nil {
		return fmt.Errorf("%s %s: %w", t.kind, key, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("%s %s: a record with that key or unique value: %w", t.kind, key, storage.ErrExists)
	}
	return nil
}

// update writes r if the stored version is version-1.
func (t *table[R]) update(ctx context.Context, tx *txn, key string, version int64, r R) error {
	vals := values(r)
	args := append(vals[1:], vals[0], version-1)
	res, err := tx.exec(ctx, t.updateSQL, args...)
	if err != nil {
		return fmt.Errorf("%s %s: %w", t.kind, key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	return t.versionMismatch(ctx, tx, key, version)
}

// versionMismatch explains why a write expecting stored version version-1
// touched no row: the record is gone, or another writer changed it.
func (t *table[R]) versionMismatch(ctx context.Context, tx *txn, key string, version int64) error {
	var stored int64
	err := tx.get(ctx, &stored, "SELECT version FROM "+t.name+" WHERE "+t.cols[0]+" = ?", key)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%s %s: %w", t.kind, key, storage.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%s %s: stored version is %d, the change expected %d: %w", t.kind, key, stored, version-1, storage.ErrConflict)
}

// remove deletes the row with key if its stored version is version.
func (t *table[R]) remove(ctx context.Context, tx *txn, key string, version int64) error {
	res, err := tx.exec(ctx, t.deleteSQL, key, version)
	if err != nil {
		return fmt.Errorf("%s %s: %w", t.kind, key, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	return t.versionMismatch(ctx, tx, key, version+1)
}

// one reads the row where col = key.
func (t *table[R]) one(ctx context.Context, tx *txn, col, key string) (R, error) {
	var r R
	if err := tx.get(ctx, &r, t.selectSQL+" WHERE "+col+" = ?", key); err != nil {
		return r, fmt.Errorf("%s %s: %w", t.kind, key, err)
	}
	return r, nil
}

// filter is a list query's conditions: column = value for each set value.
type filter struct {
	where []string
	args  []any
}

func (f *filter) eq(col, v string) {
	if v != "" {
		f.where = append(f.where, col+" = ?")
		f.args = append(f.args, v)
	}
}

// time adds the condition "col op instant" when the instant is set.
func (f *filter) time(col, op string, t time.Time) {
	if !t.IsZero() {
		f.where = append(f.where, col+" "+op+" ?")
		f.args = append(f.args, ts(t))
	}
}

// span keeps rows whose col lies in [from, until); a zero end is open.
func (f *filter) span(col string, from, until time.Time) {
	f.time(col, ">=", from)
	f.time(col, "<", until)
}

// list returns one page of rows matching f, in key order, fetching one
// row more than the page to know whether another page follows.
func (t *table[R]) list(ctx context.Context, tx *txn, f filter, p storage.Page) ([]R, bool, error) {
	key := t.cols[0]
	if p.After != "" {
		f.where = append(f.where, key+" > ?")
		f.args = append(f.args, p.After)
	}
	q := t.selectSQL
	if len(f.where) > 0 {
		q += " WHERE " + strings.Join(f.where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY %s LIMIT %d", key, p.Size()+1)
	var rows []R
	if err := tx.selectRows(ctx, &rows, q, f.args...); err != nil {
		return nil, false, fmt.Errorf("%s list: %w", t.kind, err)
	}
	if len(rows) > p.Size() {
		return rows[:p.Size()], true, nil
	}
	return rows, false, nil
}

// convert turns rows into domain values, naming the first that fails.
func convert[R, T any](kind string, rows []R, conv func(R) (T, error)) ([]T, error) {
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		v, err := conv(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// page converts one page of rows and computes the next cursor.
func page[R, T any](kind string, rows []R, more bool, conv func(R) (T, error), key func(T) string) ([]T, string, error) {
	out, err := convert(kind, rows, conv)
	if err != nil || !more {
		return out, "", err
	}
	return out, key(out[len(out)-1]), nil
}
