// Package access holds who is acting and whether they may: the firm's
// users, the actor carried in a context, the actions and resources that
// are authorized, and the Authorizer interface every operation of
// docket.Firm asks before it touches data.
//
// # Actors
//
// The embedding application authenticates its users; Docket trusts the
// context it is given. WithActor puts the acting user into a context and
// ActorFrom reads it back. An operation without an actor fails with
// docket.ErrUnauthenticated and writes nothing.
//
// # The policy
//
// Policy decides an action on a case for a user, in a fixed order: an
// ethical wall screening the user from the case (or from every case of its
// client) denies, whatever else holds; then an inactive or unknown user is
// denied; then one of the user's roles must grant the action (RoleTable,
// data the firm's administrators change); a client portal user (whose only
// role is ClientUser) only ever reads, and only their own cases, however
// the table is set; a restricted case is open only to its team. Decision
// names the rule that decided. A record that belongs to a client but to
// no case yet (an intake, a meeting) is decided with CaseFacts naming
// only the client, so a wall on the client covers it.
//
// Administrators manage access but do not read restricted cases; a
// break-glass read (CaseBreakGlass, partners by default) is the audited
// way in, and walls beat it too. RoleTable.Validate refuses a role that
// grants both AccessAdmin and CaseBreakGlass, and docket.Firm refuses a
// change that widens a role its author holds.
//
// # Authorizers
//
// docket.Firm decides with the firm's stored Policy. An Authorizer given in
// docket.Options replaces it; AllowAuthenticated, which permits everything
// to any actor, serves tests and demos.
package access
