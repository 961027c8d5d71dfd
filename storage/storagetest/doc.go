// Package storagetest is the conformance suite every storage.Store must
// pass. Each implementation runs it from its own test file:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Store { return memory.New() })
//	}
//
// The suite covers create, get, update and list for every repository,
// version conflicts, unique keys, rollback (neither record nor audit entry
// survives a failed transaction), stable cursor pagination, copies (a
// caller never aliases stored state), unicode and large values, the audit
// chain, and concurrent writers racing on one case through docket.Firm.
package storagetest
