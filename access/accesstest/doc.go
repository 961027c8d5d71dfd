// Package accesstest holds a brute-force reference model of Docket's access
// policy and a generator of random firms, for tests: the indexed
// access.Policy, and every store's enforcement, must decide exactly as the
// model does.
package accesstest
