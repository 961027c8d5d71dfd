package docket

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// FeedService is the ordered feed of the firm's changes, for applications
// that must react to them (notify a client, sync a CRM) without webhooks
// that expire. The feed is the audit log: every change's entry is written
// in the same transaction as the change, numbered in the order the
// changes committed, so the feed has no gaps and misses nothing that
// committed. A consumer keeps a durable cursor, stored in the database
// under its name and its actor (one user's consumers never move
// another's): it reads the entries after its cursor, handles them,
// and acknowledges them; whatever it has not acknowledged is delivered
// again, so delivery is at least once and handlers must tolerate seeing
// an entry twice (an entry's Seq identifies it).
//
// A consumer reads as its actor: only entries that actor may read (see
// AuditService.List) are delivered, as the policy stands when they are
// read, and reading needs audit.read. Moving a cursor is delivery
// bookkeeping, not a change to the firm's records, and is not itself
// audited (an entry per acknowledgement would feed the feed).
type FeedService struct{ f *Firm }

// FeedBatch is one read of the feed.
type FeedBatch struct {
	// Entries are the entries after the consumer's cursor, in order.
	Entries []audit.Entry
	// After is the consumer's cursor the batch was read from: the
	// sequence number of the last entry it acknowledged (0 for none).
	After int64
}

// Last returns the sequence number of the batch's last entry, or After
// for an empty batch: what to acknowledge once the batch is handled.
func (b FeedBatch) Last() int64 {
	if len(b.Entries) == 0 {
		return b.After
	}
	return b.Entries[len(b.Entries)-1].Seq
}

func checkConsumer(name string) error {
	return cases.ValidateID("feed consumer", "consumer", name)
}

// Cursor returns the consumer's cursor: the sequence number of the last
// entry it acknowledged, 0 before its first acknowledgement.
func (s *FeedService) Cursor(ctx context.Context, consumer string) (int64, error) {
	var seq int64
	err := s.f.do(ctx, access.AuditRead, access.Resource{Kind: "feed", ID: consumer}, false, func(o *op, tx storage.Tx) (err error) {
		seq, err = cursorOf(ctx, o, tx, consumer)
		return err
	})
	return seq, err
}

// cursorName is where a consumer's cursor is kept: under its actor, so
// that one user's consumers never move another's.
func cursorName(o *op, consumer string) string { return string(o.actor.ID) + "/" + consumer }

func cursorOf(ctx context.Context, o *op, tx storage.Tx, consumer string) (int64, error) {
	if err := checkConsumer(consumer); err != nil {
		return 0, err
	}
	c, err := tx.FeedCursors().Get(ctx, cursorName(o, consumer))
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	return c.Seq, err
}

// Read returns up to limit entries (0 means storage.DefaultLimit) after
// the consumer's cursor that the actor may read, oldest first. It does
// not move the cursor: Ack does, once the entries are handled.
func (s *FeedService) Read(ctx context.Context, consumer string, limit int) (FeedBatch, error) {
	var b FeedBatch
	err := s.f.listVisible(ctx, access.AuditRead, access.Resource{Kind: "feed", ID: consumer}, func(o *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		if b.After, err = cursorOf(ctx, o, tx, consumer); err != nil {
			return err
		}
		b.Entries, _, err = tx.Audit().List(ctx, storage.AuditFilter{Visible: vis}, storage.Page{After: strconv.FormatInt(b.After, 10), Limit: limit})
		return err
	})
	return b, err
}

// Ack moves the consumer's cursor to seq: entries up to it are not
// delivered again. A cursor never moves back (an older acknowledgement,
// from a slower worker, changes nothing), and seq may not lie past the
// end of the log.
func (s *FeedService) Ack(ctx context.Context, consumer string, seq int64) error {
	return s.f.do(ctx, access.AuditRead, access.Resource{Kind: "feed", ID: consumer}, true, func(o *op, tx storage.Tx) error {
		if err := checkConsumer(consumer); err != nil {
			return err
		}
		head, _, err := tx.Audit().Head(ctx)
		if err != nil {
			return err
		}
		if seq < 0 || seq > head {
			return &cases.FieldError{Record: "feed cursor", Field: "seq", Problem: fmt.Sprintf("%d is not an entry of the log (1 to %d)", seq, head)}
		}
		name := cursorName(o, consumer)
		// Two workers of one consumer may acknowledge at once: the later
		// reads what the other stored and keeps the greater.
		for attempt := 0; ; attempt++ {
			c, err := tx.FeedCursors().Get(ctx, name)
			switch {
			case errors.Is(err, storage.ErrNotFound):
				c = storage.FeedCursor{Name: name}
			case err != nil:
				return err
			case seq <= c.Seq:
				return nil
			}
			c.Seq, c.Version, c.Updated = seq, c.Version+1, o.at
			err = tx.FeedCursors().Put(ctx, c)
			if attempt < 3 && (errors.Is(err, storage.ErrExists) || errors.Is(err, storage.ErrConflict)) {
				continue
			}
			return err
		}
	})
}

// FeedConsumer delivers the feed to a handler: a named consumer, reading
// as the actor in the context it is run with.
type FeedConsumer struct {
	Feed *FeedService
	// Name is the consumer's cursor's name: one per application that
	// reacts to the feed (a CRM sync, a client notifier).
	Name string
	// Batch is how many entries one read takes; 0 means
	// storage.DefaultLimit.
	Batch int
}

// Run delivers the feed to handle, batch by batch, until it has caught
// up with the log or handle fails, and returns how many entries handle
// accepted. After each batch, and before returning handle's error, the
// cursor moves past the entries handle accepted; the entry it failed on,
// and those after it, are delivered again by the next Run. A process
// that stops between handling an entry and acknowledging it gets that
// entry again: handlers must be idempotent (at-least-once delivery).
func (c *FeedConsumer) Run(ctx context.Context, handle func(context.Context, audit.Entry) error) (int, error) {
	n := 0
	for {
		b, err := c.Feed.Read(ctx, c.Name, c.Batch)
		if err != nil {
			return n, err
		}
		if len(b.Entries) == 0 {
			return n, nil
		}
		last := b.After
		for _, e := range b.Entries {
			if err := handle(ctx, e); err != nil {
				if last > b.After {
					if aerr := c.Feed.Ack(ctx, c.Name, last); aerr != nil {
						return n, errors.Join(err, aerr)
					}
				}
				return n, fmt.Errorf("feed consumer %s, entry %d: %w", c.Name, e.Seq, err)
			}
			last = e.Seq
			n++
		}
		if err := c.Feed.Ack(ctx, c.Name, last); err != nil {
			return n, err
		}
	}
}
