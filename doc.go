// Package docket is an embeddable SDK for legal case management: cases and
// their court stages, clients and parties, intake and conflict checks, court
// calendars and deadlines, documents with versions, the correspondence
// record, a change feed and a tamper-evident audit trail, over storage that is in memory, in SQLite (the embedded
// default) or in PostgreSQL.
//
// # The shape
//
//	store, err := sqlite.Open(ctx, "firm.db", nil) // or memory.New(), postgres.Open(ctx, url, nil)
//	firm, err := docket.New(store, nil)
//	ctx = access.WithActor(ctx, alice)
//	maria, err := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
//	in, err := firm.Intake.Take(ctx, cases.Intake{Prospect: maria.ID, Source: "referral"})
//	chk, err := firm.Conflicts.Run(ctx, in.ID)
//	chk, err = firm.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "no conflicts")
//	c, err := firm.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: maria.ID, Intake: in.ID})
//	c, err = firm.Cases.Advance(ctx, c.ID, c.Version, "charging", "indictment returned")
//	trail, err := firm.Audit.ForCase(ctx, c.ID, nil)
//	result, err := firm.Audit.Verify(ctx)
//
// A case cannot leave intake until its conflict check is cleared or
// waived; Example shows the whole flow running.
//
// One Firm, one service per area (Users, Contacts, Intake, Conflicts,
// Cases, Calendar, Documents, Correspondence, Feed, Audit, Access), the actor in the context, a
// version on every update.
//
// # Every operation takes the same path
//
//  1. The actor comes from the context (access.WithActor); without one the
//     operation fails with ErrUnauthenticated and touches nothing.
//  2. One storage transaction opens, and in it the firm's access policy
//     decides (roles, case teams and scope, ethical walls; see package
//     access and Firm.Access) on the record as it stands in that same
//     transaction, so a wall erected or a team changed cannot slip between
//     the check and the data. A denial is audited in its own transaction
//     and returned as ErrForbidden, the same whether or not the record
//     exists.
//  3. The input is validated. A *cases.FieldError names the field and the
//     rule; errors.Is(err, ErrInvalid) reports any validation failure.
//  4. The same transaction writes the change and its audit entry; if
//     anything fails, neither is kept.
//
// Conflicts.Run and Conflicts.Check search the firm in a read transaction
// of their own, so a large firm's search does not hold up other writers,
// and record the check in a second; each decides.
//
// # What an ethical wall covers
//
// A wall screens its users from its cases and from every case of its
// clients (a co-client, a party in the client role, included), and from
// everything of them: parties, stage history, audit entries, conflict
// checks; and from a walled client's intakes, meetings and conflict
// checks, whether or not they became a case. A screened user may not open
// a case, take an intake, run a check or record a meeting for a walled
// client. Lists, counts and audit queries filter inside the storage query;
// a conflict check still finds a conflict with walled work but reports
// only "conflict with a secured matter" (SecuredMatter). Nobody learns what
// a wall they are named in says, nor of a matter through the wall around
// it: a wall is hidden from, and cannot be drawn or lifted by, anyone who
// may not see every case and client it names. A denial's audit entry says
// a wall refused, not which.
//
// Nothing answers differently for a record that does not exist and one
// the actor may not see: the error is the same ErrForbidden; an audit
// entry about a missing record is hidden from lists like one about a
// hidden record (Audit.Verify still checks every entry); and a denial's
// audit entry gives one reason, "the actor may not see the record, or it
// does not exist", whether a wall, a restricted case or a wrong key
// refused it (the operational log, and Explain, give the rule).
//
// A conflict check belongs to every client it was run for, to the intake
// it was run on and to the case it opened; a wall on any of them covers
// it. Making a contact a client of a case (a co-client), or ceasing to,
// changes who may see the case: it needs case.scope, and a co-client an
// active wall names stays unless the actor may also administer walls.
//
// What stays visible on purpose: contacts are the firm's address book (a
// wall screens the matters, not the client's name and address). Numbers
// are not secret: the audit log's sequence numbers and the case reference
// numbers drawn from the firm's pattern run firm-wide, so someone who
// lists them sees gaps where entries or cases they may not see lie, and a
// reference or record ID given by hand that is already used is refused as
// used. A gap or a taken ID says that some record exists, never which,
// whose or what; generated IDs are random UUIDv7s no one guesses.
//
// # Client portal users
//
// A user whose only role is access.ClientUser is a client portal user
// (the client role is never combined with others): they read their own
// cases (their contact is the case's client or a co-client), however the
// role table is set, and nothing else. They get the part of each that is
// the client's to see: cases.Case.Shared, cases.Party.Shared,
// cases.StageChange.Shared. Documents are shared with the client one by
// one (document.Document.Shared); a portal user reads those, and nothing
// else of a case's documents. Giving an account a
// client's contact is decided on that client (an administrator screened
// from it may not) and the audit entry says what the account will read.
//
// # Administrators and partners
//
// Administrators manage users, roles and walls; they do not read
// restricted cases. A partner outside a restricted case's team reads it
// only through Cases.BreakGlass, with a reason the audit log keeps. No role
// may grant both access.admin and case.break-glass, nobody widens a role
// they hold or changes their own roles, and changing who may see a case
// (its restricted flag, staff or team) needs case.scope.
//
// # No lost updates
//
// Every mutable record carries a Version. Updates name the version they
// read; if another writer got there first the update fails with an error
// that matches storage.ErrConflict and names the Version field. Nothing is
// overwritten silently.
//
// # Documents
//
// A document's versions never change; content is stored once per SHA-256,
// streamed in and out in chunks, and checked against its hash when read
// (Documents.VerifyContent checks it all). A new version must be based on
// the current one: an editor working from an older one gets a
// *ConflictError that says which version is current, so two people
// editing at once never overwrite each other, and a check-out keeps
// others out until check-in (a case's lead attorney, or document.unlock,
// breaks it with a reason). Privileged documents show only to the case's
// team and to roles granted document.privileged (attorneys and partners),
// in lists as in reads. A legal hold on a case or a custodian keeps what
// it covers from every deletion path: the store refuses to purge it, and
// in SQL a trigger refuses to delete it. Deleting is soft; ApplyRetention
// purges what was deleted longer ago than the retention period and no
// hold covers. Templates (document.Template) merge a case's details into
// a new document and are checked against the merge data when saved.
//
// # Correspondence
//
// Correspondence.ImportEmail records an email from its RFC 5322 file,
// with its attachments and original, in one transaction, once (the same
// Message-ID again is a duplicate), threaded by its headers, and filed
// on a case by the reference in its subject or a per-case filing address
// (Options.FilingAddress); anything else waits in the unfiled queue,
// which those granted correspondence.file read and file from. Record
// records calls, letters and meetings by hand. A recorded message never
// changes: Amend records a correction that points to it, and only its
// filing and its privileged and confidential flags change (Classify).
// Privileged messages follow the rule for privileged documents; a
// portal user reads what is neither privileged, confidential nor
// internal; a wall on a case hides its mail, and a wall on a contact
// hides every message that contact took part in, filed or not. History
// gives a client's messages, meetings and intakes across their cases;
// Search finds messages by the words of their subject and text.
//
// # The change feed
//
// Feed reads the audit log as an ordered feed with a durable cursor per
// consumer, at least once; FeedConsumer runs a handler over it. An entry
// is written in the same transaction as its change, and entries are
// numbered in commit order, so a consumer that acknowledges entry n has
// seen every change up to it that it may read.
//
// # Audit
//
// The audit log is append-only and hash-chained (package audit). Verify
// recomputes the chain and names the first entry that does not match.
package docket
