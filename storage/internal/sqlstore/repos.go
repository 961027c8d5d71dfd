package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

var (
	usersT    = newTable[userRow]("users", "user")
	contactsT = newTable[contactRow]("contacts", "contact")
	casesT    = newTable[caseRow]("cases", "case")
	partiesT  = newTable[partyRow]("parties", "party")
	stagesT   = newTable[stageRow]("stage_changes", "stage change")
	intakesT  = newTable[intakeRow]("intakes", "intake")
	meetingsT = newTable[meetingRow]("meetings", "meeting")
	checksT   = newTable[checkRow]("conflict_checks", "conflict check")
	auditT    = newTable[auditRow]("audit_log", "audit entry")
)

// Fixed statements beyond each table's own.
var (
	caseByRef  = static(casesT.selectSQL + " WHERE reference = ?")
	listStages = static(stagesT.selectSQL + " WHERE case_id = ? ORDER BY seq")
	firstStage = static(`INSERT INTO stage_changes (case_id, seq, from_stage, to_stage, exit_name, reason, by_user, at)
		VALUES (?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	appendStage = static(`INSERT INTO stage_changes (case_id, seq, from_stage, to_stage, exit_name, reason, by_user, at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM stage_changes WHERE case_id = ?) = ?`)
	casCounter  = static("UPDATE counters SET value = ? WHERE name = ? AND value = ?")
	bumpCounter = static("UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value")
	readCounter = static("SELECT value FROM counters WHERE name = ?")
	nextCounter = static(`INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`)
	readHead   = static("SELECT seq, hash FROM audit_head WHERE id = 1")
	updateHead = static("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")
)

func (t *txn) Users() storage.Users       { return users{t} }
func (t *txn) Contacts() storage.Contacts { return contacts{t} }
func (t *txn) Cases() storage.Cases       { return caseRepo{t} }
func (t *txn) Parties() storage.Parties   { return parties{t} }
func (t *txn) Stages() storage.Stages     { return stages{t} }
func (t *txn) Intakes() storage.Intakes   { return intakes{t} }
func (t *txn) Meetings() storage.Meetings { return meetings{t} }
func (t *txn) Checks() storage.Checks     { return checks{t} }
func (t *txn) Counters() storage.Counters { return counters{t} }
func (t *txn) Audit() storage.AuditLog    { return auditLog{t} }

// RoleTables returns the role-table repository.
func (t *txn) RoleTables() storage.RoleTables { return roleTables{t} }

// Walls returns the ethical-wall repository.
func (t *txn) Walls() storage.Walls { return walls{t} }

// getAs reads one row by key and converts it.
func getAs[R, T any](ctx context.Context, tx *txn, tb *table[R], col, key string, conv func(R) (T, error)) (T, error) {
	r, err := tb.one(ctx, tx, col, key)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := conv(r)
	if err != nil {
		return v, fmt.Errorf("%s %s: %w", tb.kind, key, err)
	}
	return v, nil
}

// listAs lists one page and converts it.
func listAs[R, T any](ctx context.Context, tx *txn, tb *table[R], f filter, p storage.Page, conv func(R) (T, error), key func(T) string) ([]T, string, error) {
	rows, more, err := tb.list(ctx, tx, f, p)
	if err != nil {
		return nil, "", err
	}
	return page(tb.kind, rows, more, conv, key)
}

// createNew checks a new record's version before inserting it.
func createNew[R any](ctx context.Context, tx *txn, tb *table[R], key string, version int64, r R) error {
	if version != 1 {
		return fmt.Errorf("%s %s: a new record must have version 1, not %d: %w", tb.kind, key, version, storage.ErrConflict)
	}
	return tb.insert(ctx, tx, key, r)
}

type users struct{ t *txn }

func (r users) Get(ctx context.Context, id access.UserID) (access.User, error) {
	return getAs(ctx, r.t, usersT, "id", string(id), userRow.user)
}
func (r users) Create(ctx context.Context, u access.User) error {
	return createNew(ctx, r.t, usersT, string(u.ID), u.Version, userRowOf(u))
}
func (r users) Update(ctx context.Context, u access.User) error {
	return usersT.update(ctx, r.t, string(u.ID), u.Version, userRowOf(u))
}
func (r users) List(ctx context.Context, p storage.Page) ([]access.User, string, error) {
	return listAs(ctx, r.t, usersT, filter{}, p, userRow.user, func(u access.User) string { return string(u.ID) })
}

type contacts struct{ t *txn }

func (r contacts) Get(ctx context.Context, id cases.ContactID) (cases.Contact, error) {
	return getAs(ctx, r.t, contactsT, "id", string(id), contactRow.contact)
}
func (r contacts) Create(ctx context.Context, c cases.Contact) error {
	if err := createNew(ctx, r.t, contactsT, string(c.ID), c.Version, contactRowOf(c)); err != nil {
		return err
	}
	return r.indexEmails(ctx, c, false)
}
func (r contacts) Update(ctx context.Context, c cases.Contact) error {
	if err := contactsT.update(ctx, r.t, string(c.ID), c.Version, contactRowOf(c)); err != nil {
		return err
	}
	return r.indexEmails(ctx, c, true)
}

var (
	deleteContactEmails = static("DELETE FROM contact_emails WHERE contact_id = ?")
	insertContactEmail  = static("INSERT INTO contact_emails (email, contact_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
)

// indexEmails keeps the contact's addresses, in lower case, where
// ContactFilter.Email finds them.
func (r contacts) indexEmails(ctx context.Context, c cases.Contact, replace bool) error {
	if replace {
		if _, err := r.t.exec(ctx, deleteContactEmails, string(c.ID)); err != nil {
			return fmt.Errorf("contact %s emails: %w", c.ID, err)
		}
	}
	for _, e := range c.Emails {
		if _, err := r.t.exec(ctx, insertContactEmail, strings.ToLower(e), string(c.ID)); err != nil {
			return fmt.Errorf("contact %s emails: %w", c.ID, err)
		}
	}
	return nil
}
func (r contacts) List(ctx context.Context, f storage.ContactFilter, p storage.Page) ([]cases.Contact, string, error) {
	var q filter
	q.eq("kind", string(f.Kind))
	if f.Email != "" {
		q.where, q.args = append(q.where, "id IN (SELECT ce.contact_id FROM contact_emails ce WHERE ce.email = ?)"), append(q.args, strings.ToLower(f.Email))
	}
	return listAs(ctx, r.t, contactsT, q, p, contactRow.contact, func(c cases.Contact) string { return string(c.ID) })
}

type caseRepo struct{ t *txn }

func (r caseRepo) Get(ctx context.Context, id cases.ID) (cases.Case, error) {
	return getAs(ctx, r.t, casesT, "id", string(id), caseRow.kase)
}
func (r caseRepo) GetByReference(ctx context.Context, ref string) (cases.Case, error) {
	var row caseRow
	if err := r.t.get(ctx, &row, caseByRef, ref); err != nil {
		return cases.Case{}, fmt.Errorf("case %s: %w", ref, err)
	}
	return row.kase()
}
func (r caseRepo) Create(ctx context.Context, c cases.Case) error {
	return createNew(ctx, r.t, casesT, string(c.ID), c.Version, caseRowOf(c))
}
func (r caseRepo) Update(ctx context.Context, c cases.Case) error {
	return casesT.update(ctx, r.t, string(c.ID), c.Version, caseRowOf(c))
}
func (r caseRepo) List(ctx context.Context, f storage.CaseFilter, p storage.Page) ([]cases.Case, string, error) {
	return listAs(ctx, r.t, casesT, r.filter(f), p, caseRow.kase, func(c cases.Case) string { return string(c.ID) })
}

func (r caseRepo) Count(ctx context.Context, f storage.CaseFilter) (int, error) {
	q := r.filter(f)
	query := "SELECT COUNT(*) FROM cases"
	if len(q.where) > 0 {
		query += " WHERE " + strings.Join(q.where, " AND ")
	}
	var n int
	err := r.t.get(ctx, &n, query, q.args...)
	return n, err
}

// filter is a case filter's conditions, visibility included.
func (r caseRepo) filter(f storage.CaseFilter) filter {
	var q filter
	q.eq("status", string(f.Status))
	q.eq("type", f.Type)
	q.eq("stage", f.Stage)
	q.eq("client", string(f.Client))
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleCase("cases", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return q
}

type parties struct{ t *txn }

func (r parties) Get(ctx context.Context, id cases.PartyID) (cases.Party, error) {
	return getAs(ctx, r.t, partiesT, "id", string(id), partyRow.party)
}
func (r parties) Create(ctx context.Context, p cases.Party) error {
	return createNew(ctx, r.t, partiesT, string(p.ID), p.Version, partyRowOf(p))
}
func (r parties) Update(ctx context.Context, p cases.Party) error {
	return partiesT.update(ctx, r.t, string(p.ID), p.Version, partyRowOf(p))
}
func (r parties) Delete(ctx context.Context, id cases.PartyID, version int64) error {
	return partiesT.remove(ctx, r.t, string(id), version)
}
func (r parties) List(ctx context.Context, f storage.PartyFilter, p storage.Page) ([]cases.Party, string, error) {
	var q filter
	q.eq("case_id", string(f.Case))
	q.eq("contact_id", string(f.Contact))
	q.eq("role", string(f.Role))
	return listAs(ctx, r.t, partiesT, q, p, partyRow.party, func(x cases.Party) string { return string(x.ID) })
}

var coClients = static("SELECT contact_id FROM parties WHERE case_id = ? AND role = 'client' ORDER BY contact_id")

func (r parties) CoClients(ctx context.Context, c cases.ID) ([]cases.ContactID, error) {
	var ids []string
	if err := r.t.selectRows(ctx, &ids, coClients, string(c)); err != nil {
		return nil, fmt.Errorf("co-clients of case %s: %w", c, err)
	}
	out := make([]cases.ContactID, len(ids))
	for i, id := range ids {
		out[i] = cases.ContactID(id)
	}
	return out, nil
}

type stages struct{ t *txn }

// Append inserts the change only if it is the next for the case, in one
// statement.
func (r stages) Append(ctx context.Context, c cases.StageChange) error {
	var res sql.Result
	var err error
	if c.Seq == 1 { // nothing before it to count; a second first is a conflict
		res, err = r.t.exec(ctx, firstStage, string(c.Case), c.From, c.To, c.Exit, c.Reason, c.By, ts(c.At))
	} else {
		res, err = r.t.exec(ctx, appendStage, string(c.Case), c.Seq, c.From, c.To, c.Exit, c.Reason, c.By, ts(c.At), string(c.Case), c.Seq-1)
	}
	if err != nil {
		return fmt.Errorf("stage change %d of case %s: %w", c.Seq, c.Case, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("stage change %d of case %s is not the next: %w", c.Seq, c.Case, storage.ErrExists)
	}
	return nil
}

func (r stages) List(ctx context.Context, id cases.ID) ([]cases.StageChange, error) {
	var rows []stageRow
	if err := r.t.selectRows(ctx, &rows, listStages, string(id)); err != nil {
		return nil, err
	}
	return convert("stage change", rows, stageRow.change)
}

func (r stages) Between(ctx context.Context, f storage.StageFilter, p storage.Page) ([]cases.StageChange, string, error) {
	var q filter
	q.span("s.at", f.From, f.Until)
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleCase("sc", f.Visible)
		q.where, q.args = append(q.where, "EXISTS (SELECT 1 FROM cases sc WHERE sc.id = s.case_id AND "+cond+")"), append(q.args, args...)
	}
	if p.After != "" {
		at, rest, ok1 := strings.Cut(p.After, "|")
		id, seq, ok2 := strings.Cut(rest, "|")
		n, err := strconv.ParseInt(seq, 10, 64)
		if !ok1 || !ok2 || err != nil {
			return nil, "", fmt.Errorf("stage change cursor %q: %w", p.After, storage.ErrNotFound)
		}
		q.where = append(q.where, "(s.at > ? OR s.at = ? AND (s.case_id > ? OR s.case_id = ? AND s.seq > ?))")
		q.args = append(q.args, at, at, id, id, n)
	}
	query := strings.Replace(stagesT.selectSQL, "FROM stage_changes", "FROM stage_changes s", 1)
	if len(q.where) > 0 {
		query += " WHERE " + strings.Join(q.where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY s.at, s.case_id, s.seq LIMIT %d", p.Size()+1)
	var rows []stageRow
	if err := r.t.selectRows(ctx, &rows, query, q.args...); err != nil {
		return nil, "", fmt.Errorf("stage changes: %w", err)
	}
	more := len(rows) > p.Size()
	if more {
		rows = rows[:p.Size()]
	}
	return page("stage change", rows, more, stageRow.change, stageCursor)
}

// stageCursor is a stage change's place in time order.
func stageCursor(c cases.StageChange) string {
	return ts(c.At) + "|" + string(c.Case) + "|" + strconv.FormatInt(c.Seq, 10)
}

type intakes struct{ t *txn }

func (r intakes) Get(ctx context.Context, id cases.IntakeID) (cases.Intake, error) {
	return getAs(ctx, r.t, intakesT, "id", string(id), intakeRow.intake)
}
func (r intakes) Create(ctx context.Context, in cases.Intake) error {
	return createNew(ctx, r.t, intakesT, string(in.ID), in.Version, intakeRowOf(in))
}
func (r intakes) Update(ctx context.Context, in cases.Intake) error {
	return intakesT.update(ctx, r.t, string(in.ID), in.Version, intakeRowOf(in))
}
func (r intakes) List(ctx context.Context, f storage.IntakeFilter, p storage.Page) ([]cases.Intake, string, error) {
	var q filter
	q.eq("prospect", string(f.Prospect))
	q.eq("status", string(f.Status))
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleIntake("intakes", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return listAs(ctx, r.t, intakesT, q, p, intakeRow.intake, func(in cases.Intake) string { return string(in.ID) })
}

type meetings struct{ t *txn }

func (r meetings) Get(ctx context.Context, id cases.MeetingID) (cases.Meeting, error) {
	return getAs(ctx, r.t, meetingsT, "id", string(id), meetingRow.meeting)
}
func (r meetings) Create(ctx context.Context, m cases.Meeting) error {
	return meetingsT.insert(ctx, r.t, string(m.ID), meetingRowOf(m))
}
func (r meetings) List(ctx context.Context, f storage.MeetingFilter, p storage.Page) ([]cases.Meeting, string, error) {
	var q filter
	q.eq("contact_id", string(f.Contact))
	q.eq("case_id", string(f.Case))
	q.eq("intake_id", string(f.Intake))
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleMeeting("meetings", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return listAs(ctx, r.t, meetingsT, q, p, meetingRow.meeting, func(m cases.Meeting) string { return string(m.ID) })
}

type checks struct{ t *txn }

var (
	selectCheckClients = static("SELECT contact_id FROM check_clients WHERE check_id = ? ORDER BY contact_id")
	insertCheckClient  = static("INSERT INTO check_clients (check_id, contact_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
)

// readClients fills in a check's clients from their table.
func (r checks) readClients(ctx context.Context, c *cases.ConflictCheck) error {
	var ids []string
	if err := r.t.selectRows(ctx, &ids, selectCheckClients, string(c.ID)); err != nil {
		return fmt.Errorf("conflict check %s clients: %w", c.ID, err)
	}
	c.Clients = nil
	for _, id := range ids {
		c.Clients = append(c.Clients, cases.ContactID(id))
	}
	return nil
}

// writeClients adds a check's clients; they only ever grow.
func (r checks) writeClients(ctx context.Context, c *cases.ConflictCheck) error {
	for _, k := range c.Clients {
		if _, err := r.t.exec(ctx, insertCheckClient, string(c.ID), string(k)); err != nil {
			return fmt.Errorf("conflict check %s client %s: %w", c.ID, k, err)
		}
	}
	return nil
}

func (r checks) Get(ctx context.Context, id cases.CheckID) (cases.ConflictCheck, error) {
	c, err := getAs(ctx, r.t, checksT, "id", string(id), checkRow.check)
	if err != nil {
		return c, err
	}
	return c, r.readClients(ctx, &c)
}
func (r checks) Create(ctx context.Context, c cases.ConflictCheck) error {
	if err := createNew(ctx, r.t, checksT, string(c.ID), c.Version, checkRowOf(c)); err != nil {
		return err
	}
	return r.writeClients(ctx, &c)
}
func (r checks) Update(ctx context.Context, c cases.ConflictCheck) error {
	if err := checksT.update(ctx, r.t, string(c.ID), c.Version, checkRowOf(c)); err != nil {
		return err
	}
	return r.writeClients(ctx, &c)
}
func (r checks) List(ctx context.Context, f storage.CheckFilter, p storage.Page) ([]cases.ConflictCheck, string, error) {
	var q filter
	q.eq("intake_id", string(f.Intake))
	q.span("ran_at", f.From, f.Until)
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleCheck("conflict_checks", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	out, next, err := listAs(ctx, r.t, checksT, q, p, checkRow.check, func(c cases.ConflictCheck) string { return string(c.ID) })
	for i := range out {
		if err == nil {
			err = r.readClients(ctx, &out[i])
		}
	}
	return out, next, err
}

type counters struct{ t *txn }

// Next increments the counter in place, so two writers can never draw the
// same number. It first tries the value this store last committed, with a
// compare-and-set UPDATE (an exec: a query inside a transaction costs
// database/sql a goroutine); if another writer moved the counter since, it
// falls back to UPDATE ... RETURNING, and to an INSERT the first time a
// name is used.
func (r counters) Next(ctx context.Context, name string) (int64, error) {
	if !r.t.write {
		return 0, errReadOnly
	}
	if last, ok := r.t.counterHint(name); ok {
		res, err := r.t.exec(ctx, casCounter, last+1, name, last)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, err
		} else if n == 1 {
			r.t.drew(name, last+1)
			return last + 1, nil
		}
	}
	var v int64
	err := r.t.get(ctx, &v, bumpCounter, name)
	if errors.Is(err, storage.ErrNotFound) {
		err = r.t.get(ctx, &v, nextCounter, name)
	}
	if err == nil {
		r.t.drew(name, v)
	}
	return v, err
}

type roleTables struct{ t *txn }

var (
	getRoleTable    = static("SELECT version, grants FROM role_tables WHERE id = 1")
	insertRoleTable = static("INSERT INTO role_tables (id, version, grants) VALUES (1, ?, ?) ON CONFLICT DO NOTHING")
	updateRoleTable = static("UPDATE role_tables SET version = ?, grants = ? WHERE id = 1 AND version = ?")
)

func (r roleTables) Get(ctx context.Context) (access.RoleTable, error) {
	var row struct {
		Version int64  `db:"version"`
		Grants  string `db:"grants"`
	}
	t := access.RoleTable{}
	if err := r.t.get(ctx, &row, getRoleTable); err != nil {
		return t, fmt.Errorf("role table: %w", err)
	}
	t.Version = row.Version
	if err := json.Unmarshal([]byte(row.Grants), &t.Grants); err != nil {
		return t, fmt.Errorf("role table: stored grants: %w", err)
	}
	return t, nil
}

// Put inserts the first table or moves the stored one on by one version.
func (r roleTables) Put(ctx context.Context, t access.RoleTable) error {
	grants, err := json.Marshal(t.Grants)
	if err != nil {
		return fmt.Errorf("role table: %w", err)
	}
	q, args := updateRoleTable, []any{t.Version, string(grants), t.Version - 1}
	if t.Version == 1 {
		q, args = insertRoleTable, []any{t.Version, string(grants)}
	}
	res, err := r.t.exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("role table: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return fmt.Errorf("role table: version %d does not follow the stored version: %w", t.Version, storage.ErrConflict)
	}
	return nil
}

var wallsT = newTable[wallRow]("walls", "wall")

// wallMembers are the tables of a wall's members, each with its column.
var wallMembers = []struct{ table, col string }{{"wall_users", "user_id"}, {"wall_cases", "case_id"}, {"wall_clients", "contact_id"}}

var (
	selectWallMembers [3]string
	rangeWallMembers  [3]string
	deleteWallMembers [3]string
)

func init() {
	for i, m := range wallMembers {
		selectWallMembers[i] = static("SELECT " + m.col + " FROM " + m.table + " WHERE wall_id = ? ORDER BY " + m.col)
		rangeWallMembers[i] = static("SELECT wall_id, " + m.col + " AS member FROM " + m.table + " WHERE wall_id BETWEEN ? AND ? ORDER BY wall_id, " + m.col)
		deleteWallMembers[i] = static("DELETE FROM " + m.table + " WHERE wall_id = ?")
	}
}

// memberRows is how many members one INSERT writes.
const memberRows = 200

type walls struct{ t *txn }

func wallLists(w *access.Wall) [3][]string {
	users := make([]string, len(w.Users))
	for i, u := range w.Users {
		users[i] = string(u)
	}
	return [3][]string{users, w.Cases, w.Clients}
}

// writeMembers inserts the wall's members, many rows per statement.
func (r walls) writeMembers(ctx context.Context, w *access.Wall) error {
	for i, list := range wallLists(w) {
		m := wallMembers[i]
		for start := 0; start < len(list); start += memberRows {
			chunk := list[start:min(start+memberRows, len(list))]
			args := make([]any, 0, 2*len(chunk))
			for _, v := range chunk {
				args = append(args, w.ID, v)
			}
			q := "INSERT INTO " + m.table + " (wall_id, " + m.col + ") VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)), ", ")
			if _, err := r.t.exec(ctx, q, args...); err != nil {
				return fmt.Errorf("wall %s: %s: %w", w.ID, m.table, err)
			}
		}
	}
	return nil
}

// readMembers fills in the wall's members.
func (r walls) readMembers(ctx context.Context, w *access.Wall) error {
	var lists [3][]string
	for i := range wallMembers {
		if err := r.t.selectRows(ctx, &lists[i], selectWallMembers[i], w.ID); err != nil {
			return fmt.Errorf("wall %s: %w", w.ID, err)
		}
	}
	w.Users = nil
	for _, u := range lists[0] {
		w.Users = append(w.Users, access.UserID(u))
	}
	w.Cases, w.Clients = lists[1], lists[2]
	return nil
}

func (r walls) Get(ctx context.Context, id string) (access.Wall, error) {
	w, err := getAs(ctx, r.t, wallsT, "id", id, wallRow.wall)
	if err != nil {
		return w, err
	}
	return w, r.readMembers(ctx, &w)
}

func (r walls) Create(ctx context.Context, w access.Wall) error {
	if err := createNew(ctx, r.t, wallsT, w.ID, w.Version, wallRowOf(w)); err != nil {
		return err
	}
	return r.writeMembers(ctx, &w)
}

func (r walls) Update(ctx context.Context, w access.Wall) error {
	if err := wallsT.update(ctx, r.t, w.ID, w.Version, wallRowOf(w)); err != nil {
		return err
	}
	for i := range wallMembers {
		if _, err := r.t.exec(ctx, deleteWallMembers[i], w.ID); err != nil {
			return err
		}
	}
	return r.writeMembers(ctx, &w)
}

func (r walls) List(ctx context.Context, f storage.WallFilter, p storage.Page) ([]access.Wall, string, error) {
	var q filter
	if f.User != "" {
		q.where = append(q.where, "EXISTS (SELECT 1 FROM wall_users wu WHERE wu.wall_id = walls.id AND wu.user_id = ?)")
		q.args = append(q.args, string(f.User))
	}
	if f.Active {
		q.where = append(q.where, "lifted = ''")
	}
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleWall("walls", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	out, next, err := listAs(ctx, r.t, wallsT, q, p, wallRow.wall, func(w access.Wall) string { return w.ID })
	if err != nil || len(out) == 0 {
		return out, next, err
	}
	// The page's members, three queries in all however many walls: the
	// page is in ID order, so its members lie in one range of wall IDs.
	byID := make(map[string]*access.Wall, len(out))
	for i := range out {
		out[i].Users, out[i].Cases, out[i].Clients = nil, nil, nil
		byID[out[i].ID] = &out[i]
	}
	for i := range wallMembers {
		var rows []struct {
			Wall   string `db:"wall_id"`
			Member string `db:"member"`
		}
		if err := r.t.selectRows(ctx, &rows, rangeWallMembers[i], out[0].ID, out[len(out)-1].ID); err != nil {
			return nil, "", fmt.Errorf("wall members: %w", err)
		}
		for _, row := range rows {
			w, ok := byID[row.Wall]
			if !ok {
				continue // a wall in the range that the filter left out
			}
			switch i {
			case 0:
				w.Users = append(w.Users, access.UserID(row.Member))
			case 1:
				w.Cases = append(w.Cases, row.Member)
			default:
				w.Clients = append(w.Clients, row.Member)
			}
		}
	}
	return out, next, nil
}

func (r counters) Current(ctx context.Context, name string) (int64, error) {
	var v int64
	err := r.t.get(ctx, &v, readCounter, name)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	return v, err
}

type auditLog struct{ t *txn }

func (r auditLog) Append(ctx context.Context, e audit.Entry) error {
	if !r.t.write {
		return errReadOnly
	}
	e.Changes = append([]audit.Change(nil), e.Changes...)
	r.t.pending = append(r.t.pending, e)
	return nil
}

func (r auditLog) List(ctx context.Context, f storage.AuditFilter, p storage.Page) ([]audit.Entry, string, error) {
	var q filter
	q.eq("case_id", f.Case)
	q.eq("resource_type", f.ResourceType)
	q.eq("resource_id", f.ResourceID)
	q.eq("actor", f.Actor)
	q.span("at", f.Since, f.Until)
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleEntry(f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	if p.After != "" {
		after, err := strconv.ParseInt(p.After, 10, 64)
		if err != nil {
			return nil, "", fmt.Errorf("audit cursor %q: %w", p.After, storage.ErrNotFound)
		}
		q.where, q.args = append(q.where, "seq > ?"), append(q.args, after)
	}
	query := auditT.selectSQL
	if len(q.where) > 0 {
		query += " WHERE " + strings.Join(q.where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY seq LIMIT %d", p.Size()+1)
	var rows []auditRow
	if err := r.t.selectRows(ctx, &rows, query, q.args...); err != nil {
		return nil, "", err
	}
	more := len(rows) > p.Size()
	if more {
		rows = rows[:p.Size()]
	}
	return page("audit entry", rows, more, auditRow.entry, func(e audit.Entry) string { return strconv.FormatInt(e.Seq, 10) })
}

func (r auditLog) Head(ctx context.Context) (int64, audit.Hash, error) {
	var head struct {
		Seq  int64  `db:"seq"`
		Hash string `db:"hash"`
	}
	if err := r.t.get(ctx, &head, readHead); err != nil {
		return 0, audit.Hash{}, fmt.Errorf("audit head: %w", err)
	}
	h, err := audit.ParseHash(head.Hash)
	return head.Seq, h, err
}

// scanAudit streams the audit rows of a range, scanning positionally
// into one reused record: Verify reads the whole log through it.
var scanAudit = static(auditT.selectSQL + " WHERE seq >= ? AND seq <= ? ORDER BY seq")

func (r auditLog) Scan(ctx context.Context, from, to int64, fn func(*audit.Record) error) error {
	if to <= 0 {
		to = math.MaxInt64
	}
	var rows *sql.Rows
	var err error
	if st := r.t.stmt(ctx, scanAudit); st != nil {
		rows, err = st.QueryContext(ctx, from, to)
	} else {
		rows, err = r.t.tx.QueryContext(ctx, r.t.tx.Rebind(scanAudit), from, to)
	}
	if err != nil {
		return r.t.translate(err)
	}
	defer rows.Close()
	var rec audit.Record
	for rows.Next() {
		if err := rows.Scan(&rec.Seq, &rec.At, &rec.Actor, &rec.Action, &rec.ResourceType, &rec.ResourceID,
			&rec.CaseID, &rec.Reason, &rec.Changes, &rec.PrevHash, &rec.Hash); err != nil {
			return r.t.translate(err)
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
	return r.t.translate(rows.Err())
}
