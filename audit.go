package docket

import (
	"context"
	"errors"
	"fmt"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// errStop ends a Scan early once the chain has failed.
var errStop = errors.New("stop")

// AuditService reads and verifies the audit trail.
type AuditService struct{ f *Firm }

// AuditFilter narrows an audit query: by case, resource, actor and time.
type AuditFilter = storage.AuditFilter

// List returns one page of the entries matching filter that the actor may
// see, in sequence order: entries about a walled or restricted case the
// actor may not see are filtered out inside the storage query.
func (s *AuditService) List(ctx context.Context, filter AuditFilter, opts *ListOptions) (Page[audit.Entry], error) {
	var p Page[audit.Entry]
	err := s.f.listVisible(ctx, access.AuditRead, access.Resource{Kind: "audit", Case: filter.Case}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Audit().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}

// ForCase returns one page of a case's trail: every entry about the case
// and the records that belong to it.
func (s *AuditService) ForCase(ctx context.Context, id cases.ID, opts *ListOptions) (Page[audit.Entry], error) {
	return s.List(ctx, AuditFilter{Case: string(id)}, opts)
}

// Verify recomputes the whole hash chain and checks it ends at the log's
// recorded head. The result names the first entry that does not match; an
// error means the log could not be read at all.
func (s *AuditService) Verify(ctx context.Context) (audit.Result, error) {
	return s.VerifyRange(ctx, 1, 0)
}

// VerifyRange checks entries from to to (inclusive; to <= 0 means to the
// end). Checking a range starts from the hash of entry from-1, so it proves
// the range is intact and linked to what came before.
func (s *AuditService) VerifyRange(ctx context.Context, from, to int64) (audit.Result, error) {
	var res audit.Result
	err := s.f.do(ctx, access.AuditRead, access.Resource{Kind: "audit"}, false, func(o *op, tx storage.Tx) error {
		if from < 1 {
			return &cases.FieldError{Record: "audit range", Field: "from", Problem: fmt.Sprintf("%d: entries are numbered from 1", from)}
		}
		if to > 0 && to < from {
			return &cases.FieldError{Record: "audit range", Field: "to", Problem: fmt.Sprintf("%d is before from (%d)", to, from)}
		}
		var v *audit.Verifier
		if from == 1 {
			v = audit.NewVerifier(0, audit.Hash{})
		}
		// A range after the first entry rests on the entry before it, whose
		// own hash must hold against its stored contents.
		err := tx.Audit().Scan(ctx, max(1, from-1), to, func(r *audit.Record) error {
			if v == nil {
				prev, perr := audit.ParseHash(r.PrevHash)
				if r.Seq != from-1 || perr != nil || r.Compute(prev).String() != r.Hash {
					v = audit.NewVerifier(from-1, audit.Hash{})
					v.Fail(from-1, fmt.Sprintf("entry %d, on which the range rests, is missing or does not match its hash", from-1))
					return errStop
				}
				v = audit.NewVerifier(r.Seq, r.Compute(prev))
				return nil
			}
			if !v.AddRecord(r) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		if v == nil { // the log ends before the range
			v = audit.NewVerifier(from-1, audit.Hash{})
			v.Fail(from-1, fmt.Sprintf("entry %d, on which the range rests, is missing", from-1))
		}
		headSeq, head, err := tx.Audit().Head(ctx)
		if err != nil {
			return err
		}
		if to <= 0 || to >= headSeq {
			v.Expect(headSeq, head)
		}
		res = v.Result()
		return nil
	})
	return res, err
}
