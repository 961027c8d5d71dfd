package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

var (
	messagesT    = newTable[messageRow]("messages", "message")
	feedCursorsT = newTable[feedCursorRow]("feed_cursors", "feed cursor")

	// selectByDedupe names dedupe <> '' so that the partial unique index
	// on it serves the lookup.
	selectByDedupe    = static(messagesT.selectSQL + " WHERE dedupe = ? AND dedupe <> ''")
	insertParticipant = static("INSERT INTO message_participants (message_id, seq, role, address, contact_id, user_id) VALUES (?, ?, ?, ?, ?, ?)")
	insertMessageBlob = static("INSERT INTO message_blobs (message_id, hash) VALUES (?, ?) ON CONFLICT DO NOTHING")
	// messageHeld counts the active holds covering a message: on its
	// case, or on a custodian who recorded it or took part in it.
	messageHeld = static(`SELECT COUNT(*) FROM holds h JOIN messages m ON m.id = ?
		WHERE h.released = '' AND (h.case_id = '' OR h.case_id = m.case_id)
		AND (h.custodian = '' OR h.custodian = m.recorded_by
			OR EXISTS (SELECT 1 FROM message_participants p WHERE p.message_id = m.id AND p.user_id = h.custodian))`)
)

func (t *txn) Messages() storage.Messages       { return messages{t} }
func (t *txn) FeedCursors() storage.FeedCursors { return feedCursors{t} }

type messageRow struct {
	ID           string `db:"id"`
	Channel      string `db:"channel"`
	Direction    string `db:"direction"`
	At           string `db:"at"`
	Subject      string `db:"subject"`
	Text         string `db:"body_text"`
	HTML         string `db:"body_html"`
	Case         string `db:"case_id"`
	Privileged   bool   `db:"privileged"`
	Confidential bool   `db:"confidential"`
	Participants string `db:"participants"`
	Attachments  string `db:"attachments"`
	Documents    string `db:"attachment_documents"`
	Thread       string `db:"thread"`
	MessageID    string `db:"message_id"`
	InReplyTo    string `db:"in_reply_to"`
	References   string `db:"refs"`
	Source       string `db:"source"`
	Dedupe       string `db:"dedupe"`
	Amends       string `db:"amends"`
	Reason       string `db:"reason"`
	RecordedBy   string `db:"recorded_by"`
	Filed        string `db:"filed"`
	FiledBy      string `db:"filed_by"`
	Version      int64  `db:"version"`
	Created      string `db:"created"`
	Updated      string `db:"updated"`
}

// messageRowOf keeps the attachments, which never change, apart from the
// documents they became, which are set when the message is filed.
func messageRowOf(m correspondence.Message) messageRow {
	atts := slices.Clone(m.Attachments)
	docs := make([]string, len(atts))
	for i := range atts {
		docs[i], atts[i].Document = atts[i].Document, ""
	}
	return messageRow{string(m.ID), string(m.Channel), string(m.Direction), ts(m.At), m.Subject, m.Text, m.HTML, string(m.Case),
		m.Privileged, m.Confidential, js(m.Participants), js(atts), js(docs), m.Thread, m.MessageID, js(m.InReplyTo), js(m.References),
		m.Source, m.Key, string(m.Amends), m.Reason, m.RecordedBy, ts(m.Filed), m.FiledBy, m.Version, ts(m.Created), ts(m.Updated)}
}

func (r messageRow) message() (correspondence.Message, error) {
	var d decoder
	m := correspondence.Message{ID: correspondence.ID(r.ID), Channel: correspondence.Channel(r.Channel), Direction: correspondence.Direction(r.Direction),
		At: d.time(r.At), Subject: r.Subject, Text: r.Text, HTML: r.HTML, Case: cases.ID(r.Case), Privileged: r.Privileged, Confidential: r.Confidential,
		Thread: r.Thread, MessageID: r.MessageID, Source: r.Source, Key: r.Dedupe, Amends: correspondence.ID(r.Amends), Reason: r.Reason, RecordedBy: r.RecordedBy,
		Filed: d.time(r.Filed), FiledBy: r.FiledBy, Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	d.json(r.Participants, &m.Participants)
	d.json(r.Attachments, &m.Attachments)
	var docs []string
	d.json(r.Documents, &docs)
	for i := range m.Attachments {
		if i < len(docs) {
			m.Attachments[i].Document = docs[i]
		}
	}
	d.json(r.InReplyTo, &m.InReplyTo)
	d.json(r.References, &m.References)
	return m, d.err
}

type messages struct{ t *txn }

func (r messages) Get(ctx context.Context, id correspondence.ID) (correspondence.Message, error) {
	return getAs(ctx, r.t, messagesT, "id", string(id), messageRow.message)
}

func (r messages) ByKey(ctx context.Context, key string) (correspondence.Message, error) {
	if key == "" {
		return correspondence.Message{}, fmt.Errorf("message with no dedupe key: %w", storage.ErrNotFound)
	}
	var row messageRow
	if err := r.t.get(ctx, &row, selectByDedupe, key); err != nil {
		return correspondence.Message{}, fmt.Errorf("message %s: %w", key, err)
	}
	m, err := row.message()
	if err != nil {
		return m, fmt.Errorf("message %s: %w", key, err)
	}
	return m, nil
}

func (r messages) Threads(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for chunk := range slices.Chunk(ids, 100) {
		q := "SELECT message_id, thread FROM messages WHERE message_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		var rows []struct {
			MessageID string `db:"message_id"`
			Thread    string `db:"thread"`
		}
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := r.t.selectRows(ctx, &rows, q, args...); err != nil {
			return nil, fmt.Errorf("message threads: %w", err)
		}
		for _, row := range rows {
			if _, ok := out[row.MessageID]; !ok || row.Thread < out[row.MessageID] {
				out[row.MessageID] = row.Thread
			}
		}
	}
	return out, nil
}

func (r messages) Create(ctx context.Context, m correspondence.Message) error {
	if err := createNew(ctx, r.t, messagesT, string(m.ID), m.Version, messageRowOf(m)); err != nil {
		return err
	}
	for i, p := range m.Participants {
		if _, err := r.t.exec(ctx, insertParticipant, string(m.ID), i, string(p.Role), strings.ToLower(p.Address), string(p.Contact), p.User); err != nil {
			return fmt.Errorf("message %s participant %d: %w", m.ID, i, err)
		}
	}
	for _, h := range m.Content() {
		if _, err := r.t.exec(ctx, insertMessageBlob, string(m.ID), h); err != nil {
			return fmt.Errorf("message %s content %s: %w", m.ID, h, err)
		}
	}
	return r.index(ctx, &m)
}

var (
	insertMessageText  = staticFor("sqlite", "INSERT INTO message_text (message_id, subject, body) VALUES (?, ?, ?)")
	insertMessageFTS   = staticFor("sqlite", "INSERT INTO message_fts (docid, subject, body) VALUES (?, ?, ?)")
	selectMessageKey   = staticFor("sqlite", "SELECT key FROM message_text WHERE message_id = ?")
	deleteMessageFTS   = staticFor("sqlite", "DELETE FROM message_fts WHERE docid = ?")
	deleteMessageText  = staticFor("sqlite", "DELETE FROM message_text WHERE key = ?")
	pgInsertMessageTSV = staticFor("postgres", "INSERT INTO message_text (message_id, tsv) VALUES (?, setweight(to_tsvector('docket_english', ?), 'A') || to_tsvector('docket_english', ?))")
)

// messageText is what search indexes of a message: its subject and its
// text.
func messageText(subject, text string) (string, string) {
	return document.IndexText(subject), document.SearchText(text)
}

// index makes a new message's subject and text found by search.
func (r messages) index(ctx context.Context, m *correspondence.Message) error {
	subject, body := messageText(m.Subject, m.Text)
	if r.t.s.d.sqlite() {
		subject, body = fts4Text(subject), fts4Text(body)
		res, err := r.t.exec(ctx, insertMessageText, string(m.ID), subject, body)
		if err != nil {
			return fmt.Errorf("message %s: indexing its text: %w", m.ID, err)
		}
		key, err := res.LastInsertId()
		if err != nil {
			return err
		}
		_, err = r.t.exec(ctx, insertMessageFTS, key, subject, body)
		return err
	}
	err := r.t.tsvectorFit(ctx, body, func(body string) error {
		_, err := r.t.exec(ctx, pgInsertMessageTSV, string(m.ID), subject, body)
		return err
	})
	if err != nil {
		return fmt.Errorf("message %s: indexing its text: %w", m.ID, err)
	}
	return nil
}

// unindex forgets a message's text (PostgreSQL's goes with the message).
func (r messages) unindex(ctx context.Context, id correspondence.ID) error {
	if !r.t.s.d.sqlite() {
		return nil
	}
	return r.t.dropFTS4(ctx, func() (key int64, err error) {
		err = r.t.get(ctx, &key, selectMessageKey, string(id))
		return key, err
	}, deleteMessageFTS, deleteMessageText)
}

func (r messages) Update(ctx context.Context, m correspondence.Message) error {
	return messagesT.update(ctx, r.t, string(m.ID), m.Version, messageRowOf(m))
}

func (r messages) List(ctx context.Context, f storage.MessageFilter, p storage.Page) ([]correspondence.Message, string, error) {
	var q filter
	q.eq("m.case_id", string(f.Case))
	q.eq("m.channel", string(f.Channel))
	q.eq("m.thread", f.Thread)
	q.eq("m.amends", string(f.Amends))
	if f.Unfiled {
		q.where = append(q.where, "m.case_id = ''")
	}
	if f.Filed {
		q.where = append(q.where, "m.case_id <> ''")
	}
	for _, c := range []struct{ col, v string }{{"contact_id", string(f.Contact)}, {"user_id", f.User}, {"address", strings.ToLower(f.Address)}} {
		if c.v != "" {
			q.where = append(q.where, "EXISTS (SELECT 1 FROM message_participants fp WHERE fp.message_id = m.id AND fp."+c.col+" = ?)")
			q.args = append(q.args, c.v)
		}
	}
	if f.Client != "" {
		q.where = append(q.where, `(EXISTS (SELECT 1 FROM message_participants hp WHERE hp.message_id = m.id AND hp.contact_id = ?)
			OR EXISTS (SELECT 1 FROM cases hc WHERE hc.id = m.case_id AND hc.client = ?)
			OR EXISTS (SELECT 1 FROM parties hq WHERE hq.case_id = m.case_id AND hq.role = 'client' AND hq.contact_id = ?))`)
		c := string(f.Client)
		q.args = append(q.args, c, c, c)
	}
	q.span("m.at", f.From, f.Until)
	q.time("m.created", "<", f.RecordedBefore)
	if f.Query != nil {
		if r.t.s.d.sqlite() {
			q.where = append(q.where, "m.id IN (SELECT mt.message_id FROM message_fts JOIN message_text mt ON mt.key = message_fts.docid WHERE message_fts MATCH ?)")
			q.args = append(q.args, fts4Match(*f.Query))
		} else {
			q.where = append(q.where, "m.id IN (SELECT mt.message_id FROM message_text mt WHERE mt.tsv @@ to_tsquery('docket_english', ?))")
			q.args = append(q.args, tsQuery(*f.Query))
		}
	}
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleMessage("m", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	if p.After != "" {
		at, id, ok := strings.Cut(p.After, "|")
		if !ok {
			return nil, "", fmt.Errorf("message cursor %q: %w", p.After, storage.ErrNotFound)
		}
		q.where = append(q.where, "(m.at > ? OR m.at = ? AND m.id > ?)")
		q.args = append(q.args, at, at, id)
	}
	query := strings.Replace(messagesT.selectSQL, "FROM messages", "FROM messages m", 1)
	if len(q.where) > 0 {
		query += " WHERE " + strings.Join(q.where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY m.at, m.id LIMIT %d", p.Size()+1)
	var rows []messageRow
	if err := r.t.selectRows(ctx, &rows, query, q.args...); err != nil {
		return nil, "", fmt.Errorf("message list: %w", err)
	}
	more := len(rows) > p.Size()
	if more {
		rows = rows[:p.Size()]
	}
	return page("message", rows, more, messageRow.message, func(m correspondence.Message) string { return ts(m.At) + "|" + string(m.ID) })
}

func (r messages) Held(ctx context.Context, id correspondence.ID) (bool, error) {
	if err := r.t.lockHolds(ctx); err != nil {
		return false, err
	}
	var held int
	if err := r.t.get(ctx, &held, messageHeld, string(id)); err != nil {
		return false, err
	}
	return held > 0, nil
}

func (r messages) Purge(ctx context.Context, id correspondence.ID, version int64) error {
	if held, err := r.Held(ctx, id); err != nil {
		return err
	} else if held {
		return fmt.Errorf("message %s: %w", id, storage.ErrHeld)
	}
	// A wrong version fails the remove, and the transaction with it: the
	// index entry dropped first comes back.
	if err := r.unindex(ctx, id); err != nil {
		return fmt.Errorf("message %s: %w", id, err)
	}
	return messagesT.remove(ctx, r.t, string(id), version)
}

type feedCursorRow struct {
	Name    string `db:"name"`
	Seq     int64  `db:"seq"`
	Version int64  `db:"version"`
	Updated string `db:"updated"`
}

func (r feedCursorRow) cursor() (storage.FeedCursor, error) {
	t, err := parseTS(r.Updated)
	return storage.FeedCursor{Name: r.Name, Seq: r.Seq, Version: r.Version, Updated: t}, err
}

type feedCursors struct{ t *txn }

func (r feedCursors) Get(ctx context.Context, name string) (storage.FeedCursor, error) {
	return getAs(ctx, r.t, feedCursorsT, "name", name, feedCursorRow.cursor)
}

func (r feedCursors) Put(ctx context.Context, c storage.FeedCursor) error {
	row := feedCursorRow{c.Name, c.Seq, c.Version, ts(c.Updated)}
	if c.Version == 1 {
		return feedCursorsT.insert(ctx, r.t, c.Name, row)
	}
	return feedCursorsT.update(ctx, r.t, c.Name, c.Version, row)
}
