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
// data the firm's administrators change); a client portal user reads only
// their own cases; a restricted case is open only to its team. Decision
// names the rule that decided. Administrators manage access but do not
// read restricted cases; a break-glass read (CaseBreakGlass, partners by
// default) is the audited way in, and walls beat it too.
//
// # Authorizers
//
// docket.Firm decides with the firm's stored Policy. An Authorizer given in
// docket.Options replaces it; AllowAuthenticated, which permits everything
// to any actor, serves tests and demos.
package access
