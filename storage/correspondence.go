package storage

import (
	"context"
	"time"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
)

// KindMessage is a message of the correspondence record: its entries
// show where the message does (see MessageFilter.Visible).
const KindMessage = "message"

// Messages persists the correspondence record. A message never changes
// once created, but for its filing (Case, Filed, FiledBy and the
// documents its attachments became, once, while it was unfiled) and its
// Privileged and Confidential flags; every store refuses any other
// change, and any deletion while a legal hold covers the message.
type Messages interface {
	Get(ctx context.Context, id correspondence.ID) (correspondence.Message, error)
	// ByKey returns the message stored under a dedupe key
	// (correspondence.Message.DedupeKey), or ErrNotFound.
	ByKey(ctx context.Context, key string) (correspondence.Message, error)
	// Threads returns the threads of the stored messages whose Message-ID
	// is one of ids, by Message-ID.
	Threads(ctx context.Context, ids []string) (map[string]string, error)
	// Create stores a new message: ErrExists if its ID or its dedupe key
	// is taken.
	Create(ctx context.Context, m correspondence.Message) error
	// Update stores a message's filing or flags, with the usual version
	// check; a change to anything else is refused.
	Update(ctx context.Context, m correspondence.Message) error
	// List returns messages in time order (At, then ID); the cursor is
	// the last message's.
	List(ctx context.Context, f MessageFilter, p Page) ([]correspondence.Message, string, error)
	// Held reports whether an active legal hold covers the message: on
	// its case, or on a custodian who recorded it or took part in it.
	Held(ctx context.Context, id correspondence.ID) (bool, error)
	// Purge removes a message whose stored version is version, if no
	// active hold covers it (ErrHeld otherwise). Its content is left to
	// Blobs.Delete.
	Purge(ctx context.Context, id correspondence.ID, version int64) error
}

// MessageFilter narrows a message list; zero fields match everything.
// From is inclusive and Until exclusive.
type MessageFilter struct {
	Case cases.ID
	// Unfiled keeps the messages on no case (the unfiled queue); Filed
	// those on a case.
	Unfiled, Filed bool
	Channel        correspondence.Channel
	// Contact, User and Address keep messages with such a participant;
	// Address compares without case.
	Contact cases.ContactID
	User    string
	Address string
	// Client keeps a client's contact history: messages with a
	// participant linked to the contact, or on a case where it is the
	// client or a co-client.
	Client cases.ContactID
	Thread string
	Amends correspondence.ID
	// From and Until bound when the messages happened (At);
	// RecordedBefore when they were recorded (Created).
	From, Until    time.Time
	RecordedBefore time.Time
	// Query, when set, keeps the messages whose subject or text hold
	// every term of it (words stemmed, phrases, prefixes; see
	// document.ParseQuery): a filter, so the list stays in time order.
	Query *document.Query
	// Visible, when set, keeps the messages visible under it (see
	// Visibility).
	Visible *Visibility
}

// FeedCursor is how far a consumer of the change feed has read: the
// audit sequence number of the last entry it acknowledged.
type FeedCursor struct {
	Name    string
	Seq     int64
	Version int64
	Updated time.Time
}

// FeedCursors persists the feed consumers' cursors.
type FeedCursors interface {
	// Get returns a consumer's cursor, or ErrNotFound before its first
	// acknowledgement.
	Get(ctx context.Context, name string) (FeedCursor, error)
	// Put stores a cursor: a new one with Version 1, else with the usual
	// version check.
	Put(ctx context.Context, c FeedCursor) error
}
