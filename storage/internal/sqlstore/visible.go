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

// visibleClient returns the condition that the client (a contact ID) in
// column passes v: no active wall names the user with it, and, for a
// portal user, it is their own contact.
func (d *Dialect) visibleClient(column string, v *storage.Visibility) (string, []any) {
	cond := `NOT EXISTS (SELECT 1 FROM wall_users wu JOIN walls w ON w.id = wu.wall_id
		JOIN wall_clients wk ON wk.wall_id = wu.wall_id
		WHERE wu.user_id = ? AND w.lifted = '' AND wk.contact_id = ` + column + `)`
	args := []any{string(v.User)}
	if v.Contact != "" {
		cond += ` AND ` + column + ` = ?`
		args = append(args, v.Contact)
	}
	return cond, args
}

// visibleIntake returns the condition that the intake row named alias
// passes v: its prospect is visible, and so is the case it became.
func (d *Dialect) visibleIntake(alias string, v *storage.Visibility) (string, []any) {
	c1, a1 := d.visibleClient(alias+".prospect", v)
	c2, a2 := d.visibleRef(alias+".case_id", v)
	return c1 + ` AND ` + c2, append(a1, a2...)
}

// visibleMeeting returns the condition that the meeting row named alias
// passes v: its contact, its case and its intake are visible.
func (d *Dialect) visibleMeeting(alias string, v *storage.Visibility) (string, []any) {
	c1, a1 := d.visibleClient(alias+".contact_id", v)
	c2, a2 := d.visibleRef(alias+".case_id", v)
	c3, a3 := d.visibleIntake("mi", v)
	cond := c1 + ` AND ` + c2 + ` AND (` + alias + `.intake_id = '' OR EXISTS (SELECT 1 FROM intakes mi WHERE mi.id = ` + alias + `.intake_id AND ` + c3 + `))`
	return cond, append(append(a1, a2...), a3...)
}

// visibleEntry returns the condition that the audit_log row passes v: its
// case, and the intake, meeting, conflict check or wall it is about.
func (d *Dialect) visibleEntry(v *storage.Visibility) (string, []any) {
	const e = "audit_log"
	var cond string
	var args []any
	if v.Contact != "" {
		// A portal user sees only entries about their own visible cases.
		c, a := d.visibleCase("vc", v)
		cond, args = `EXISTS (SELECT 1 FROM cases vc WHERE vc.id = `+e+`.case_id AND `+c+`)`, a
	} else {
		cond, args = d.visibleRef(e+".case_id", v)
	}
	ci, ai := d.visibleIntake("ai", v)
	cm, am := d.visibleMeeting("am", v)
	cc, ac := d.visibleIntake("ci", v)
	cond += ` AND CASE ` + e + `.resource_type
		WHEN '` + storage.KindIntake + `' THEN NOT EXISTS (SELECT 1 FROM intakes ai WHERE ai.id = ` + e + `.resource_id AND NOT (` + ci + `))
		WHEN '` + storage.KindMeeting + `' THEN NOT EXISTS (SELECT 1 FROM meetings am WHERE am.id = ` + e + `.resource_id AND NOT (` + cm + `))
		WHEN '` + storage.KindCheck + `' THEN NOT EXISTS (SELECT 1 FROM conflict_checks cc JOIN intakes ci ON ci.id = cc.intake_id
			WHERE cc.id = ` + e + `.resource_id AND NOT (` + cc + `))
		WHEN '` + storage.KindWall + `' THEN NOT EXISTS (SELECT 1 FROM wall_users aw WHERE aw.wall_id = ` + e + `.resource_id AND aw.user_id = ?)
		ELSE 1 = 1 END`
	args = append(args, ai...)
	args = append(args, am...)
	args = append(args, ac...)
	return cond, append(args, string(v.User))
}
