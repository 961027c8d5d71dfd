package storagetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// makeMessage is an email on c (unfiled when c is empty) at base plus i
// minutes, from a contact to a user.
func makeMessage(c cases.ID, i int, from cases.ContactID) correspondence.Message {
	m := correspondence.Message{ID: correspondence.ID(newID()), Channel: correspondence.Email, Direction: correspondence.Inbound,
		At: base.Add(time.Duration(i) * time.Minute), Subject: fmt.Sprintf("Message %d", i), Text: "Body ünïcode", HTML: "<p>Body</p>", Case: c,
		Participants: []correspondence.Participant{{Role: correspondence.From, Name: "Client", Address: "Client@Example.test", Contact: from},
			{Role: correspondence.To, Address: "u1@firm.test", User: "u1"}},
		Thread: fmt.Sprintf("thread-%d", i%3), MessageID: fmt.Sprintf("m%d-%s@example.test", i, newID()), InReplyTo: []string{"x@y"}, References: []string{"w@y", "x@y"},
		RecordedBy: "u9", Version: 1, Created: base.Add(time.Duration(i) * time.Hour), Updated: base}
	m.Key = "mid:" + m.MessageID
	return m
}

// testMessages: messages round-trip and list in time order with every
// filter; the same message is stored once; a message changes only by
// its filing (once) and its flags; a held message is never purged; the
// content it refers to outlives the documents that shared it; feed
// cursors keep their version.
func testMessages(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	kase := seedCase(t, s, client.ID)
	other := makeContact(7)
	update(t, s, func(tx storage.Tx) error { return tx.Contacts().Create(ctx, other) })

	var content storage.Blob
	update(t, s, func(tx storage.Tx) error {
		var err error
		content, err = tx.Blobs().Write(ctx, strings.NewReader("%PDF-1.7 attachment"))
		return err
	})
	var msgs []correspondence.Message
	for i := range 5 {
		c := kase.ID
		if i == 3 {
			c = ""
		}
		from := client.ID
		if i == 4 {
			from = other.ID
		}
		m := makeMessage(c, 5-i, from)
		if i == 0 {
			m.Attachments = []correspondence.Attachment{{Name: "brief.pdf", MediaType: "application/pdf", Hash: content.Hash, Size: content.Size}}
			m.Source = content.Hash
			m.Channel = correspondence.Letter
		}
		msgs = append(msgs, m)
		update(t, s, func(tx storage.Tx) error { return tx.Messages().Create(ctx, m) })
	}
	byTime := slices.Clone(msgs)
	slices.Reverse(byTime)

	t.Run("ContactsByEmail", func(t *testing.T) {
		byEmail := func(addr string) []cases.ContactID {
			var out []cases.ContactID
			view(t, s, func(tx storage.Tx) error {
				cs, _, err := tx.Contacts().List(ctx, storage.ContactFilter{Email: addr}, storage.Page{})
				for _, c := range cs {
					out = append(out, c.ID)
				}
				return err
			})
			return out
		}
		if diff := cmp.Diff([]cases.ContactID{client.ID}, byEmail("C0@Example.TEST")); diff != "" {
			t.Errorf("by email, any case (-want +got):\n%s", diff)
		}
		moved := other
		moved.Emails, moved.Version = []string{"New@Example.test"}, 2
		update(t, s, func(tx storage.Tx) error { return tx.Contacts().Update(ctx, moved) })
		if got := byEmail("c7@example.test"); len(got) != 0 {
			t.Errorf("a contact's old address still finds it: %v", got)
		}
		if diff := cmp.Diff([]cases.ContactID{other.ID}, byEmail("new@example.test")); diff != "" {
			t.Errorf("a contact's new address (-want +got):\n%s", diff)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		view(t, s, func(tx storage.Tx) error {
			got, err := tx.Messages().Get(ctx, msgs[0].ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(msgs[0], got); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			got, err = tx.Messages().ByKey(ctx, msgs[1].Key)
			if err != nil || got.ID != msgs[1].ID {
				t.Errorf("ByKey = %s, %v", got.ID, err)
			}
			_, err = tx.Messages().ByKey(ctx, "mid:nobody@x")
			wantErr(t, "ByKey of nothing", err, storage.ErrNotFound)
			threads, err := tx.Messages().Threads(ctx, []string{msgs[1].MessageID, msgs[2].MessageID, "unknown@x"})
			if err != nil {
				return err
			}
			if diff := cmp.Diff(map[string]string{msgs[1].MessageID: msgs[1].Thread, msgs[2].MessageID: msgs[2].Thread}, threads); diff != "" {
				t.Errorf("Threads (-want +got):\n%s", diff)
			}
			return nil
		})
		dup := makeMessage(kase.ID, 9, client.ID)
		dup.Key = msgs[1].Key
		wantErr(t, "the same Message-ID twice", s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Create(ctx, dup) }), storage.ErrExists)
		wantErr(t, "the same ID twice", s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Create(ctx, msgs[2]) }), storage.ErrExists)
		missing := makeMessage(kase.ID, 9, client.ID)
		missing.Attachments = []correspondence.Attachment{{Name: "x", MediaType: "text/plain", Hash: hashOf([]byte("never stored"))}}
		wantErr(t, "an attachment not stored", s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Create(ctx, missing) }), storage.ErrNotFound)
	})

	t.Run("List", func(t *testing.T) {
		ids := func(ms []correspondence.Message) []correspondence.ID {
			var out []correspondence.ID
			for _, m := range ms {
				out = append(out, m.ID)
			}
			return out
		}
		pick := func(keep func(m correspondence.Message) bool) []correspondence.ID {
			var out []correspondence.ID
			for _, m := range byTime {
				if keep(m) {
					out = append(out, m.ID)
				}
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    storage.MessageFilter
			want []correspondence.ID
		}{
			{"all, in time order", storage.MessageFilter{}, ids(byTime)},
			{"case", storage.MessageFilter{Case: kase.ID}, pick(func(m correspondence.Message) bool { return m.Case == kase.ID })},
			{"unfiled", storage.MessageFilter{Unfiled: true}, []correspondence.ID{msgs[3].ID}},
			{"filed", storage.MessageFilter{Filed: true}, pick(func(m correspondence.Message) bool { return m.Case != "" })},
			{"channel", storage.MessageFilter{Channel: correspondence.Letter}, []correspondence.ID{msgs[0].ID}},
			{"contact", storage.MessageFilter{Contact: other.ID}, []correspondence.ID{msgs[4].ID}},
			{"user", storage.MessageFilter{User: "u1"}, ids(byTime)},
			{"user, nobody", storage.MessageFilter{User: "u2"}, nil},
			{"address, any case", storage.MessageFilter{Address: "CLIENT@example.TEST"}, ids(byTime)},
			{"thread", storage.MessageFilter{Thread: msgs[0].Thread}, pick(func(m correspondence.Message) bool { return m.Thread == msgs[0].Thread })},
			{"from, until", storage.MessageFilter{From: base.Add(2 * time.Minute), Until: base.Add(4 * time.Minute)}, []correspondence.ID{msgs[3].ID, msgs[2].ID}},
			{"recorded before", storage.MessageFilter{RecordedBefore: base.Add(3 * time.Hour)}, []correspondence.ID{msgs[4].ID, msgs[3].ID}},
			{"search, a phrase in the subject", storage.MessageFilter{Query: query(t, `"message 3"`)}, []correspondence.ID{msgs[2].ID}},
			{"search, a word in the text, any case", storage.MessageFilter{Query: query(t, "ÜNÏCODE")}, ids(byTime)},
			{"search, a prefix and a case", storage.MessageFilter{Query: query(t, "bod* messages"), Case: kase.ID}, pick(func(m correspondence.Message) bool { return m.Case == kase.ID })},
			{"search, a word in none", storage.MessageFilter{Query: query(t, "deposition")}, nil},
			{"client history", storage.MessageFilter{Client: client.ID}, ids(byTime)},
			{"other's history", storage.MessageFilter{Client: other.ID}, []correspondence.ID{msgs[4].ID}},
		} {
			view(t, s, func(tx storage.Tx) error {
				got, _, err := tx.Messages().List(ctx, tc.f, storage.Page{})
				if err != nil {
					return err
				}
				if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", tc.name, diff)
				}
				return nil
			})
		}
		var got []correspondence.ID
		var p storage.Page
		p.Limit = 2
		for {
			var page []correspondence.Message
			view(t, s, func(tx storage.Tx) error {
				var err error
				page, p.After, err = tx.Messages().List(ctx, storage.MessageFilter{}, p)
				return err
			})
			got = append(got, ids(page)...)
			if p.After == "" {
				break
			}
		}
		if diff := cmp.Diff(ids(byTime), got); diff != "" {
			t.Errorf("paged (-want +got):\n%s", diff)
		}
	})

	t.Run("Record", func(t *testing.T) {
		// Filing an unfiled message, once.
		m := msgs[3]
		m.Case, m.Filed, m.FiledBy, m.Version, m.Updated = kase.ID, base.Add(time.Hour), "u2", 2, base.Add(time.Hour)
		update(t, s, func(tx storage.Tx) error { return tx.Messages().Update(ctx, m) })
		again := m
		again.Case, again.Version = "elsewhere", 3
		if err := s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Update(ctx, again) }); err == nil {
			t.Error("a filed message was filed again")
		}
		// An unfiled message's attachments are as recorded: only the
		// documents they become are set, once, when it is filed.
		swapped := msgs[0]
		swapped.Attachments = slices.Clone(swapped.Attachments)
		swapped.Attachments[0].Hash, swapped.Version = hashOf([]byte("other")), 2
		if err := s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Update(ctx, swapped) }); err == nil {
			t.Error("a recorded message's attachment was replaced")
		}
		// Flags change; content never does.
		flagged := m
		flagged.Privileged, flagged.Confidential, flagged.Version = true, true, 3
		update(t, s, func(tx storage.Tx) error { return tx.Messages().Update(ctx, flagged) })
		for name, edit := range map[string]func(*correspondence.Message){
			"subject":      func(x *correspondence.Message) { x.Subject = "rewritten" },
			"body":         func(x *correspondence.Message) { x.Text = "rewritten" },
			"when":         func(x *correspondence.Message) { x.At = x.At.Add(time.Hour) },
			"participants": func(x *correspondence.Message) { x.Participants = x.Participants[:1] },
			"recorder":     func(x *correspondence.Message) { x.RecordedBy = "u2" },
		} {
			x := flagged
			x.Version = 4
			edit(&x)
			if err := s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Update(ctx, x) }); err == nil {
				t.Errorf("changing a recorded message's %s was allowed", name)
			}
		}
		stale := flagged
		wantErr(t, "a stale update", s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Update(ctx, stale) }), storage.ErrConflict)
		view(t, s, func(tx storage.Tx) error {
			got, err := tx.Messages().Get(ctx, m.ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(flagged, got); diff != "" {
				t.Errorf("after the refused changes (-want +got):\n%s", diff)
			}
			return nil
		})
	})

	t.Run("HoldAndPurge", func(t *testing.T) {
		defer view(t, s, func(tx storage.Tx) error {
			got, _, err := tx.Messages().List(ctx, storage.MessageFilter{Query: query(t, `"message 5"`)}, storage.Page{})
			if err != nil || len(got) != 0 {
				t.Errorf("a purged message is still found: %d, %v", len(got), err)
			}
			return nil
		})
		hold := document.Hold{ID: document.HoldID(newID()), Case: kase.ID, Matter: "Subpoena", Reason: "litigation", PlacedBy: "p1",
			Version: 1, Created: base, Updated: base}
		update(t, s, func(tx storage.Tx) error { return tx.Holds().Create(ctx, hold) })
		wantErr(t, "purging a held message", s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Purge(ctx, msgs[0].ID, 1) }), storage.ErrHeld)
		custodian := document.Hold{ID: document.HoldID(newID()), Custodian: "u1", Matter: "Audit", Reason: "regulator", PlacedBy: "p1",
			Version: 1, Created: base, Updated: base}
		update(t, s, func(tx storage.Tx) error { return tx.Holds().Create(ctx, custodian) })
		view(t, s, func(tx storage.Tx) error {
			for _, m := range msgs {
				held, err := tx.Messages().Held(ctx, m.ID)
				if err != nil || !held {
					t.Errorf("message %d: held = %v, %v; the custodian took part in it", m.At.Minute(), held, err)
				}
			}
			return nil
		})
		for _, h := range []document.Hold{hold, custodian} {
			h.Released, h.ReleasedBy, h.ReleaseReason, h.Version, h.Updated = base.Add(time.Hour), "p1", "settled", 2, base.Add(time.Hour)
			update(t, s, func(tx storage.Tx) error { return tx.Holds().Update(ctx, h) })
		}
		wantErr(t, "a stale purge", s.Update(ctx, func(tx storage.Tx) error { return tx.Messages().Purge(ctx, msgs[0].ID, 7) }), storage.ErrConflict)
		// Content shared with a purged document stays while the message
		// refers to it, and goes with the message.
		update(t, s, func(tx storage.Tx) error {
			removed, err := tx.Blobs().Delete(ctx, content.Hash)
			if removed {
				t.Error("content a message refers to was deleted")
			}
			return err
		})
		update(t, s, func(tx storage.Tx) error { return tx.Messages().Purge(ctx, msgs[0].ID, 1) })
		update(t, s, func(tx storage.Tx) error {
			removed, err := tx.Blobs().Delete(ctx, content.Hash)
			if !removed {
				t.Error("content no message refers to any more was kept")
			}
			return err
		})
		view(t, s, func(tx storage.Tx) error {
			_, err := tx.Messages().Get(ctx, msgs[0].ID)
			wantErr(t, "a purged message", err, storage.ErrNotFound)
			return nil
		})
	})

	t.Run("FeedCursors", func(t *testing.T) {
		c := storage.FeedCursor{Name: "crm-sync", Seq: 10, Version: 1, Updated: base}
		view(t, s, func(tx storage.Tx) error {
			_, err := tx.FeedCursors().Get(ctx, c.Name)
			wantErr(t, "a cursor never stored", err, storage.ErrNotFound)
			return nil
		})
		update(t, s, func(tx storage.Tx) error { return tx.FeedCursors().Put(ctx, c) })
		wantErr(t, "a second first cursor", s.Update(ctx, func(tx storage.Tx) error { return tx.FeedCursors().Put(ctx, c) }), storage.ErrExists)
		c.Seq, c.Version, c.Updated = 20, 2, base.Add(time.Minute)
		update(t, s, func(tx storage.Tx) error { return tx.FeedCursors().Put(ctx, c) })
		wantErr(t, "a stale cursor", s.Update(ctx, func(tx storage.Tx) error { return tx.FeedCursors().Put(ctx, c) }), storage.ErrConflict)
		view(t, s, func(tx storage.Tx) error {
			got, err := tx.FeedCursors().Get(ctx, c.Name)
			if diff := cmp.Diff(c, got); err != nil || diff != "" {
				t.Errorf("cursor %v (-want +got):\n%s", err, diff)
			}
			return nil
		})
	})
}

func query(t *testing.T, s string) *document.Query {
	t.Helper()
	q, err := document.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return &q
}

// testMessageVisibility: a list shows exactly the messages a user may
// see: walls on the case or on a participant contact, restricted cases,
// privileged ones, and the portal's rules.
func testMessageVisibility(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client, walledClient, open, restricted, walled := seedScreened(t, s, true)
	type kind struct {
		privileged, confidential bool
		dir                      correspondence.Direction
		from                     cases.ContactID
		recorder                 string
	}
	var msgs []correspondence.Message
	i := 0
	for _, c := range []cases.ID{open.ID, restricted.ID, walled.ID, ""} {
		for _, k := range []kind{
			{false, false, correspondence.Inbound, client.ID, "u9"}, {true, false, correspondence.Inbound, client.ID, "u9"},
			{false, true, correspondence.Outbound, client.ID, "u9"}, {false, false, correspondence.Internal, "", "u9"},
			{false, false, correspondence.Inbound, walledClient.ID, "u9"}, {true, false, correspondence.Inbound, "", "outsider"},
		} {
			i++
			m := makeMessage(c, i, k.from)
			m.Privileged, m.Confidential, m.Direction, m.RecordedBy = k.privileged, k.confidential, k.dir, k.recorder
			msgs = append(msgs, m)
			update(t, s, func(tx storage.Tx) error { return tx.Messages().Create(ctx, m) })
		}
	}
	cs := map[cases.ID]cases.Case{open.ID: open, restricted.ID: restricted, walled.ID: walled}
	for _, v := range []storage.Visibility{
		{User: "outsider"}, {User: "outsider", Privileged: true}, {User: "outsider", Unfiled: true}, {User: "u1"}, {User: "u2"},
		{User: "u2", Privileged: true, Unfiled: true}, {User: "u9", Unfiled: true},
		{User: "portal", Contact: string(client.ID)}, {User: "portal2", Contact: string(walledClient.ID)},
	} {
		var want []correspondence.ID
		for _, m := range msgs {
			u := string(v.User)
			c, filed := cs[m.Case]
			team := filed && (c.LeadAttorney == u || c.CaseManager == u || slices.ContainsFunc(c.Team, func(x cases.TeamMember) bool { return x.User == u }))
			screened := u == "outsider" || u == "u2"
			walledOff := screened && (m.Case == walled.ID || slices.Contains(m.Contacts(), walledClient.ID))
			var ok bool
			switch {
			case walledOff:
			case v.Contact != "":
				ok = filed && (string(c.Client) == v.Contact) && !m.Privileged && !m.Confidential && m.Direction != correspondence.Internal
			case !filed:
				ok = v.Unfiled && (!m.Privileged || v.Privileged || m.RecordedBy == u)
			default:
				ok = (!c.Restricted || team) && (!m.Privileged || v.Privileged || team)
			}
			if ok {
				want = append(want, m.ID)
			}
		}
		view(t, s, func(tx storage.Tx) error {
			list, _, err := tx.Messages().List(ctx, storage.MessageFilter{Visible: &v}, storage.Page{})
			if err != nil {
				return err
			}
			var got []correspondence.ID
			for _, m := range list {
				got = append(got, m.ID)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v (-want +got):\n%s", v, diff)
			}
			return nil
		})
	}
}
