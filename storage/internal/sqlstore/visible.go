package sqlstore

import (
	"github.com/docketkit/docket/storage"
)

// visibleCase returns the condition that the case row named alias passes
// v (see storage.Visibility), with its arguments in order.
func (d *Dialect) visibleCase(alias string, v *storage.Visibility) (string, []any) {
	u := string(v.User)
	cond := `NOT EXISTS (SELECT 1 FROM wall_users wu JOIN walls w ON w.id = wu.wall_id
		WHERE wu.user_id = ? AND w.lifted = '' AND (
			EXISTS (SELECT 1 FROM wall_cases wc WHERE wc.wall_id = wu.wall_id AND wc.case_id = ` + alias + `.id)
			OR EXISTS (SELECT 1 FROM wall_clients wk WHERE wk.wall_id = wu.wall_id AND wk.contact_id = ` + alias + `.client)))`
	args := []any{u}
	if v.Contact != "" {
		// A client portal user sees their own cases, restricted or not.
		return cond + " AND " + alias + ".client = ?", append(args, v.Contact)
	}
	cond += ` AND (` + alias + `.restricted = ? OR ` + alias + `.lead_attorney = ? OR ` + alias + `.case_manager = ? OR ` + d.TeamHas(alias) + `)`
	return cond, append(args, false, u, u, u)
}

// visibleRef returns the condition that the case a row refers to in
// column (table.column) passes v: no case, a case that does not exist, or
// a visible one.
func (d *Dialect) visibleRef(column string, v *storage.Visibility) (string, []any) {
	cond, args := d.visibleCase("vc", v)
	return `(` + column + ` = '' OR NOT EXISTS (SELECT 1 FROM cases nc WHERE nc.id = ` + column + `)
		OR EXISTS (SELECT 1 FROM cases vc WHERE vc.id = ` + column + ` AND ` + cond + `))`, args
}
