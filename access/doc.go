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
// # Authorizers
//
// AllowAuthenticated permits every action to any actor: the foundation's
// policy until roles, case teams and ethical walls arrive. Every Firm
// method already asks the Authorizer first, so replacing the policy
// changes no call path.
package access
