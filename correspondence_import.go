package docket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/storage"
)

// ImportResult is what importing one email did.
type ImportResult struct {
	// Message is the message recorded (or recorded before, for a
	// duplicate). When Hidden is set, only its ID is given.
	Message correspondence.Message
	// Duplicate is set when the email was recorded already (the same
	// Message-ID or, without one, the same bytes): nothing was written.
	Duplicate bool
	// Hidden is set when the message concerns a matter the actor is
	// screened from (a walled case or contact, a privileged thread off
	// their teams): it was recorded where it belongs, and is not shown.
	Hidden bool
	// FiledFrom says what filed it: "subject" (a case reference in
	// brackets), "address" (a per-case filing address), or "" when it
	// waits in the unfiled queue.
	FiledFrom string
	// Problems lists what was malformed in the email but read around,
	// and why it was not filed when it named cases that could not be
	// told apart.
	Problems []string
}

// ImportEmail records one email from its RFC 5322 / MIME form (an .eml
// file): its bodies, its attachments and inline parts (each stored once,
// and a document once the message is on a case), its original bytes
// (kept, so the original can be re-created), its participants linked to
// the firm's users and contacts by address, and its thread. A case
// reference in brackets in the subject ("[2026-CR-0001]") or a per-case
// filing address among the recipients (Options.FilingAddress) files it on
// that case; anything else waits in the unfiled queue. The same email
// imported twice is stored once. An input that is no email is refused
// with an error naming the problem (correspondence.ErrNotEmail), and
// nothing is written; everything the email carries is written in one
// transaction, or nothing is. Needs correspondence.write and
// correspondence.file.
func (s *CorrespondenceService) ImportEmail(ctx context.Context, r io.Reader) (ImportResult, error) {
	raw, err := io.ReadAll(io.LimitReader(r, correspondence.MaxEmail+1))
	if err != nil {
		return ImportResult{}, fmt.Errorf("importing an email: reading it: %w", err)
	}
	// Parsed before the transaction, so that a large email holds no
	// writer up; its verdict is given once the actor is allowed.
	mail, parseErr := correspondence.ParseMail(bytes.NewReader(raw))
	res := access.Resource{Kind: storage.KindMessage}
	var out ImportResult
	err = s.f.do(ctx, access.CorrespondenceWrite, res, true, func(o *op, tx storage.Tx) error {
		out = ImportResult{}
		if err := o.decide(ctx, tx, access.CorrespondenceFile, res, nil); err != nil {
			return err
		}
		if parseErr != nil {
			return parseErr
		}
		return o.importMail(ctx, tx, raw, mail, &out)
	})
	if errors.Is(err, storage.ErrExists) {
		// Another import stored it first: report that one.
		return s.duplicateOf(ctx, mail.Key(raw))
	}
	if err != nil {
		return ImportResult{}, err
	}
	return out, nil
}

// duplicateOf reports the stored message an email duplicates.
func (s *CorrespondenceService) duplicateOf(ctx context.Context, key string) (ImportResult, error) {
	res := access.Resource{Kind: storage.KindMessage}
	var out ImportResult
	err := s.f.do(ctx, access.CorrespondenceWrite, res, false, func(o *op, tx storage.Tx) error {
		stored, err := tx.Messages().ByKey(ctx, key)
		if err != nil {
			return err
		}
		out.Duplicate = true
		return o.show(ctx, tx, stored, &out)
	})
	return out, err
}

// show puts the message in the result if the actor may read it, else
// only its ID.
func (o *op) show(ctx context.Context, tx storage.Tx, m correspondence.Message, out *ImportResult) error {
	ok, err := o.seesMessage(ctx, tx, &m)
	if err != nil {
		return err
	}
	if ok {
		out.Message = m
	} else {
		out.Message, out.Hidden = correspondence.Message{ID: m.ID}, true
	}
	return nil
}

// seesMessage reports, without recording anything, whether the actor may
// read the message.
func (o *op) seesMessage(ctx context.Context, tx storage.Tx, m *correspondence.Message) (bool, error) {
	var c cases.Case
	if m.Case != "" {
		var ok bool
		var err error
		if c, ok, err = o.seesCase(ctx, tx, access.CorrespondenceRead, m.Case); err != nil || !ok {
			return false, err
		}
	} else if !o.allowed(ctx, tx, access.CorrespondenceFile) {
		return false, nil
	}
	var den *denial
	if err := o.mayReadMessage(ctx, tx, m, &c); errors.As(err, &den) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

// importMail records a parsed email inside an import's transaction.
func (o *op) importMail(ctx context.Context, tx storage.Tx, raw []byte, mail *correspondence.Mail, out *ImportResult) error {
	m := mail.Message()
	m.Key = mail.Key(raw)
	out.Problems = slices.Clone(mail.Problems)
	if stored, err := tx.Messages().ByKey(ctx, m.Key); err == nil {
		out.Duplicate = true
		return o.show(ctx, tx, stored, out)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if m.MessageID != "" {
		if same, err := tx.Messages().Threads(ctx, []string{m.MessageID}); err != nil {
			return err
		} else if len(same) > 0 {
			out.Problems = append(out.Problems, "another, different message has the same Message-ID; both are kept")
		}
	}
	blobs := o.f.blobs(tx)
	original, err := blobs.Write(ctx, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	m.Source = original.Hash
	for _, p := range mail.Parts {
		b, err := blobs.Write(ctx, bytes.NewReader(p.Data))
		if err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, correspondence.Attachment{Name: p.Name, MediaType: p.MediaType, Hash: b.Hash, Size: b.Size,
			Inline: p.Inline, ContentID: p.ContentID})
	}
	if m.At.IsZero() {
		m.At = o.at
		out.Problems = append(out.Problems, "no readable Date: recorded as received now")
	}
	if len(m.Participants) == 0 {
		m.Participants = []correspondence.Participant{{Role: correspondence.From, Name: "unknown sender"}}
		out.Problems = append(out.Problems, "no sender or recipient could be read")
	}
	if err := o.link(ctx, tx, &m); err != nil {
		return err
	}
	m.Direction = direction(&m)
	c, from, problem, err := o.fileFor(ctx, tx, &m)
	if err != nil {
		return err
	}
	if problem != "" {
		out.Problems = append(out.Problems, problem)
	}
	m.Case, out.FiledFrom = c.ID, from
	if err := o.prepare(ctx, tx, &m); err != nil {
		return err
	}
	if err := o.store(ctx, tx, &m, "message.import", "", &c); err != nil {
		return err
	}
	return o.show(ctx, tx, m, out)
}

// direction tells an email's direction from its linked participants:
// sent by a firm user, it is internal when every recipient is one too,
// else outbound; anything else is inbound.
func direction(m *correspondence.Message) correspondence.Direction {
	fromUser, toOutside := false, false
	for _, p := range m.Participants {
		switch {
		case p.Role == correspondence.From:
			fromUser = fromUser || p.User != ""
		case p.User == "":
			toOutside = true
		}
	}
	switch {
	case fromUser && toOutside:
		return correspondence.Outbound
	case fromUser:
		return correspondence.Internal
	}
	return correspondence.Inbound
}

// fileFor finds the case an email names: by the case references in
// brackets in its subject, then by the firm's per-case filing addresses
// among its participants. Names of no case are ignored; names of more
// than one case leave it unfiled, with a problem saying so.
func (o *op) fileFor(ctx context.Context, tx storage.Tx, m *correspondence.Message) (cases.Case, string, string, error) {
	lookup := func(refs []string) ([]cases.Case, error) {
		var found []cases.Case
		for _, ref := range refs {
			for _, r := range []string{ref, strings.ToUpper(ref)} {
				c, err := tx.Cases().GetByReference(ctx, r)
				if errors.Is(err, storage.ErrNotFound) {
					continue
				}
				if err != nil {
					return nil, err
				}
				// A case the importer may not file on is no case to them:
				// the email is neither filed there nor told apart.
				if ok, err := o.sees(ctx, tx, access.CorrespondenceWrite, c.ID); err != nil {
					return nil, err
				} else if ok && !slices.ContainsFunc(found, func(f cases.Case) bool { return f.ID == c.ID }) {
					found = append(found, c)
				}
				break
			}
		}
		return found, nil
	}
	var byAddress []string
	for _, p := range m.Participants {
		if ref, ok := o.f.filingAddress.Reference(p.Address); ok && p.Role != correspondence.From {
			byAddress = append(byAddress, ref)
		}
	}
	for _, way := range []struct {
		from string
		refs []string
	}{{"subject", correspondence.SubjectReferences(m.Subject)}, {"address", byAddress}} {
		found, err := lookup(way.refs)
		if err != nil {
			return cases.Case{}, "", "", err
		}
		switch {
		case len(found) == 1:
			return found[0], way.from, "", nil
		case len(found) > 1:
			return cases.Case{}, "", fmt.Sprintf("the %s names %d cases; left unfiled for a case manager to file", way.from, len(found)), nil
		}
	}
	return cases.Case{}, "", "", nil
}

// MailImportReport is what importing several emails did.
type MailImportReport struct {
	// Imported, Duplicates and Unfiled count the emails recorded, those
	// recorded before, and those of the recorded that wait in the unfiled
	// queue.
	Imported, Duplicates, Unfiled int
	// Results are the results of the emails read, by file name.
	Results map[string]ImportResult
	// Failed names the files that are no readable email, or hold what no
	// message may (a field is named), and why.
	Failed map[string]error
}

// ImportFiles imports the named email files of fsys, one transaction
// each, in order. A file that is no readable email is reported in Failed
// and the import goes on; any other error (the store's, the context's, a
// denial) stops it and is returned with the report so far. Every email is
// recorded whole or not at all, and running the import again completes
// an interrupted one without duplicates.
func (s *CorrespondenceService) ImportFiles(ctx context.Context, fsys fs.FS, names ...string) (MailImportReport, error) {
	rep := MailImportReport{Results: map[string]ImportResult{}, Failed: map[string]error{}}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return rep, fmt.Errorf("importing %s: %w", name, err)
		}
		r, err := s.ImportEmail(ctx, f)
		f.Close()
		if errors.Is(err, correspondence.ErrNotEmail) || errors.Is(err, ErrInvalid) {
			rep.Failed[name] = err
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("importing %s: %w", name, err)
		}
		rep.Results[name] = r
		switch {
		case r.Duplicate:
			rep.Duplicates++
		default:
			rep.Imported++
			if r.FiledFrom == "" {
				rep.Unfiled++
			}
		}
	}
	return rep, nil
}
