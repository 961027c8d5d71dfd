package sqlstore

import (
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/storage"
)

// The predicates below implement storage.Visibility in SQL. Each returns
// a condition and its arguments in placeholder order. Subqueries use their
// own aliases, so that one predicate may nest inside another.

// walledClient returns the condition that an active wall names the user
// together with the client (contact ID) in column.
func walledClient(column string) string {
	return `EXISTS (SELECT 1 FROM wall_users wu JOIN walls w ON w.id = wu.wall_id
		JOIN wall_clients wk ON wk.wall_id = wu.wall_id
		WHERE wu.user_id = ? AND w.lifted = '' AND wk.contact_id = ` + column + `)`
}

// visibleCase returns the condition that the case row named alias passes
// v (see storage.Visibility).
func (d *Dialect) visibleCase(alias string, v *storage.Visibility) (string, []any) {
	u := string(v.User)
	cond := `NOT EXISTS (SELECT 1 FROM wall_users wu JOIN walls w ON w.id = wu.wall_id
		WHERE wu.user_id = ? AND w.lifted = '' AND (
			EXISTS (SELECT 1 FROM wall_cases wc WHERE wc.wall_id = wu.wall_id AND wc.case_id = ` + alias + `.id)
			OR EXISTS (SELECT 1 FROM wall_clients wk WHERE wk.wall_id = wu.wall_id AND wk.contact_id = ` + alias + `.client)
			OR EXISTS (SELECT 1 FROM parties cp JOIN wall_clients wk ON wk.contact_id = cp.contact_id
				WHERE wk.wall_id = wu.wall_id AND cp.case_id = ` + alias + `.id AND cp.role = 'client')))`
	args := []any{u}
	if v.Contact != "" {
		// A client portal user sees their own cases, restricted or not.
		return cond + ` AND (` + alias + `.client = ? OR EXISTS (SELECT 1 FROM parties op
			WHERE op.case_id = ` + alias + `.id AND op.role = 'client' AND op.contact_id = ?))`, append(args, v.Contact, v.Contact)
	}
	team, ta := d.onTeam(alias, v.User)
	cond += ` AND (` + alias + `.restricted = ? OR ` + team + `)`
	return cond, append(append(args, false), ta...)
}

// onTeam returns the condition that user is on the team of the cases row
// named alias: its lead attorney, its case manager or a member.
func (d *Dialect) onTeam(alias string, user access.UserID) (string, []any) {
	u := string(user)
	return alias + `.lead_attorney = ? OR ` + alias + `.case_manager = ? OR ` + d.TeamHas(alias), []any{u, u, u}
}

// visibleRef returns the condition that the case a row refers to in
// column (table.column) passes v: no case, or a visible one that exists.
func (d *Dialect) visibleRef(column string, v *storage.Visibility) (string, []any) {
	cond, args := d.visibleCase("vc", v)
	return `(` + column + ` = '' OR EXISTS (SELECT 1 FROM cases vc WHERE vc.id = ` + column + ` AND ` + cond + `))`, args
}

// visibleClient returns the condition that the client (a contact ID) in
// column passes v: no active wall names the user with it, and, for a
// portal user, it is their own contact.
func (d *Dialect) visibleClient(column string, v *storage.Visibility) (string, []any) {
	cond := `NOT ` + walledClient(column)
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

// visibleIntakeRef returns the condition that the intake a row refers to
// in column passes v: no intake, or a visible one that exists.
func (d *Dialect) visibleIntakeRef(column, alias string, v *storage.Visibility) (string, []any) {
	c, a := d.visibleIntake(alias, v)
	return `(` + column + ` = '' OR EXISTS (SELECT 1 FROM intakes ` + alias + ` WHERE ` + alias + `.id = ` + column + ` AND ` + c + `))`, a
}

// visibleMeeting returns the condition that the meeting row named alias
// passes v: its contact, its case and its intake are visible.
func (d *Dialect) visibleMeeting(alias string, v *storage.Visibility) (string, []any) {
	c1, a1 := d.visibleClient(alias+".contact_id", v)
	c2, a2 := d.visibleRef(alias+".case_id", v)
	c3, a3 := d.visibleIntakeRef(alias+".intake_id", "mi", v)
	return c1 + ` AND ` + c2 + ` AND ` + c3, append(append(a1, a2...), a3...)
}

// visibleCheck returns the condition that the conflict-check row named
// alias passes v: its client, its case and its intake are visible.
func (d *Dialect) visibleCheck(alias string, v *storage.Visibility) (string, []any) {
	ck, ak := d.visibleClient("kc.contact_id", v)
	c1, a1 := `NOT EXISTS (SELECT 1 FROM check_clients kc WHERE kc.check_id = `+alias+`.id AND NOT (`+ck+`))`, ak
	c2, a2 := d.visibleRef(alias+".case_id", v)
	c3, a3 := d.visibleIntakeRef(alias+".intake_id", "ci", v)
	return c1 + ` AND ` + c2 + ` AND ` + c3, append(append(a1, a2...), a3...)
}

// visibleWall returns the condition that the wall row named alias passes
// v: it names neither the user nor any case or client the user may not
// see, so nobody learns of a matter through the wall around it.
func (d *Dialect) visibleWall(alias string, v *storage.Visibility) (string, []any) {
	cc, ca := d.visibleCase("xc", v)
	ck, ka := d.visibleClient("xk.contact_id", v)
	cond := `NOT EXISTS (SELECT 1 FROM wall_users xu WHERE xu.wall_id = ` + alias + `.id AND xu.user_id = ?)
		AND NOT EXISTS (SELECT 1 FROM wall_cases xw JOIN cases xc ON xc.id = xw.case_id WHERE xw.wall_id = ` + alias + `.id AND NOT (` + cc + `))
		AND NOT EXISTS (SELECT 1 FROM wall_clients xk WHERE xk.wall_id = ` + alias + `.id AND NOT (` + ck + `))`
	return cond, append(append([]any{string(v.User)}, ca...), ka...)
}

// visibleDocument returns the condition that the documents row named
// alias passes v: its case is visible; a privileged one only to those
// allowed privileged material or on the case's team; for a portal user,
// only shared ones.
func (d *Dialect) visibleDocument(alias string, v *storage.Visibility) (string, []any) {
	cc, args := d.visibleCase("dc", v)
	cond := `EXISTS (SELECT 1 FROM cases dc WHERE dc.id = ` + alias + `.case_id AND ` + cc
	if v.Contact != "" {
		return cond + `) AND ` + alias + `.shared = ? AND ` + alias + `.deleted = ''`, append(args, true)
	}
	if !v.Privileged {
		team, ta := d.onTeam("dc", v.User)
		cond += ` AND (` + alias + `.privileged = ? OR ` + team + `)`
		args = append(append(args, false), ta...)
	}
	return cond + `)`, args
}

// visibleMessage returns the condition that the messages row named alias
// passes v: its case, if any, is visible, and so is every contact among
// its participants; a privileged one only to those allowed privileged
// material, on its case's team or, unfiled, its recorder; for a portal
// user, only what is on their cases and neither privileged, confidential
// nor internal.
func (d *Dialect) visibleMessage(alias string, v *storage.Visibility) (string, []any) {
	ck, args := d.visibleClient("mp.contact_id", v)
	if v.Contact != "" {
		// A portal user's own contact is not theirs to be hidden from:
		// any contact but a walled one shows.
		ck, args = `NOT `+walledClient("mp.contact_id"), []any{string(v.User)}
	}
	cond := `NOT EXISTS (SELECT 1 FROM message_participants mp WHERE mp.message_id = ` + alias + `.id AND mp.contact_id <> '' AND NOT (` + ck + `))`
	cc, ca := d.visibleCase("mc", v)
	if v.Contact != "" {
		cond += ` AND ` + alias + `.privileged = ? AND ` + alias + `.confidential = ? AND ` + alias + `.direction <> 'internal'
			AND EXISTS (SELECT 1 FROM cases mc WHERE mc.id = ` + alias + `.case_id AND ` + cc + `)`
		return cond, append(append(args, false, false), ca...)
	}
	if !v.Unfiled {
		cond += ` AND ` + alias + `.case_id <> ''`
	}
	cond += ` AND (` + alias + `.case_id = '' OR EXISTS (SELECT 1 FROM cases mc WHERE mc.id = ` + alias + `.case_id AND ` + cc
	args = append(args, ca...)
	if v.Privileged {
		return cond + `))`, args
	}
	team, ta := d.onTeam("mc", v.User)
	cond += ` AND (` + alias + `.privileged = ? OR ` + team + `)))
		AND (` + alias + `.privileged = ? OR ` + alias + `.case_id <> '' OR ` + alias + `.recorded_by = ?)`
	return cond, append(append(append(args, false), ta...), false, string(v.User))
}

// visibleEntry returns the condition that the audit_log row passes v: the
// case it names exists and is visible, and so does the intake, meeting,
// conflict check, wall or referenced case it is about.
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
	cc, ac := d.visibleCheck("ac", v)
	cw, aw := d.visibleWall("aw", v)
	cr, ar := d.visibleCase("ar", v)
	// A calendar record shows when it exists and its case is visible.
	onCase := func(table, alias string) (string, []any) {
		c, a := d.visibleCase(alias+"c", v)
		return `EXISTS (SELECT 1 FROM ` + table + ` ` + alias + ` JOIN cases ` + alias + `c ON ` + alias + `c.id = ` + alias + `.case_id
			WHERE ` + alias + `.id = ` + e + `.resource_id AND ` + c + `)`, a
	}
	cev, aev := onCase("events", "xe")
	cdl, adl := onCase("deadlines", "xd")
	ctr, atr := onCase("triggers", "xt")
	cal, aal := onCase("alerts", "xa")
	cdo, ado := d.visibleDocument("xo", v)
	gteam, gta := d.onTeam("xgc", v.User)
	cho, aho := d.visibleRef("xh.case_id", v)
	cms, ams := d.visibleMessage("xm", v)
	cond += ` AND CASE ` + e + `.resource_type
		WHEN '` + storage.KindIntake + `' THEN EXISTS (SELECT 1 FROM intakes ai WHERE ai.id = ` + e + `.resource_id AND ` + ci + `)
		WHEN '` + storage.KindMeeting + `' THEN EXISTS (SELECT 1 FROM meetings am WHERE am.id = ` + e + `.resource_id AND ` + cm + `)
		WHEN '` + storage.KindCheck + `' THEN EXISTS (SELECT 1 FROM conflict_checks ac WHERE ac.id = ` + e + `.resource_id AND ` + cc + `)
		WHEN '` + storage.KindWall + `' THEN EXISTS (SELECT 1 FROM walls aw WHERE aw.id = ` + e + `.resource_id AND ` + cw + `)
		WHEN '` + storage.KindReference + `' THEN EXISTS (SELECT 1 FROM cases ar WHERE ar.reference = ` + e + `.resource_id AND ` + cr + `)
		WHEN '` + storage.KindEvent + `' THEN ` + cev + `
		WHEN '` + storage.KindDeadline + `' THEN ` + cdl + `
		WHEN '` + storage.KindTrigger + `' THEN ` + ctr + `
		WHEN '` + storage.KindAlert + `' THEN ` + cal + `
		WHEN '` + storage.KindDocument + `' THEN (EXISTS (SELECT 1 FROM documents xo WHERE xo.id = ` + e + `.resource_id AND ` + cdo + `)
			OR ? AND ` + e + `.case_id <> '' AND NOT EXISTS (SELECT 1 FROM documents xg WHERE xg.id = ` + e + `.resource_id)
				AND EXISTS (SELECT 1 FROM audit_log xp WHERE xp.resource_type = '` + storage.KindDocument + `' AND xp.resource_id = ` + e + `.resource_id
					AND xp.action = '` + storage.DocumentPurged + `' AND xp.case_id = ` + e + `.case_id)
				AND (? OR EXISTS (SELECT 1 FROM cases xgc WHERE xgc.id = ` + e + `.case_id AND (` + gteam + `))))
		WHEN '` + storage.KindHold + `' THEN EXISTS (SELECT 1 FROM holds xh WHERE xh.id = ` + e + `.resource_id AND ` + cho + `)
		WHEN '` + storage.KindContact + `' THEN NOT ` + walledClient(e+".resource_id") + `
		WHEN '` + storage.KindMessage + `' THEN EXISTS (SELECT 1 FROM messages xm WHERE xm.id = ` + e + `.resource_id AND ` + cms + `)
		ELSE 1 = 1 END`
	// A purged document's entries (its row gone, its purge on record)
	// show, where its case does, to those who read every document on it:
	// staff allowed privileged material, and the case's team.
	gone := append([]any{v.Contact == "", v.Privileged}, gta...)
	for _, a := range [][]any{ai, am, ac, aw, ar, aev, adl, atr, aal, ado, gone, aho, {string(v.User)}, ams} {
		args = append(args, a...)
	}
	return cond, args
}
