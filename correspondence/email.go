package correspondence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	// Registers the character sets beyond UTF-8 and ASCII that mail
	// arrives in (ISO-8859-*, Windows-125*, Shift JIS, GB18030 ...).
	_ "github.com/emersion/go-message/charset"
	gomail "github.com/emersion/go-message/mail"
)

// MaxEmail bounds the size of one email file: larger than what mail
// servers accept (25 to 50 MB is usual), small enough to parse in memory.
const MaxEmail = 64 << 20

// Mail is an email read from its RFC 5322 / MIME form: its headers
// decoded, its bodies in UTF-8, its attachments and inline parts.
type Mail struct {
	MessageID  string
	InReplyTo  []string
	References []string
	Subject    string
	// Date is the Date header, zero when it is missing or unreadable.
	Date time.Time
	// Participants are From, To, Cc and Bcc, in that order.
	Participants []Participant
	// Text and HTML are the first plain-text and HTML bodies; further
	// text parts are kept as Parts.
	Text, HTML string
	Parts      []Part
	// Problems lists what was wrong with the email but read around: an
	// unknown character set (the bytes are kept as they came), an
	// unreadable date, a malformed address list, a broken multipart body,
	// what was cut to the limits of a Message.
	Problems []string
}

// reader walks an email's parts into a Mail.
type reader struct {
	*Mail
	parts int // parts read, of every kind
}

// Part is an attachment or inline part of an email.
type Part struct {
	Name      string
	MediaType string
	ContentID string
	Inline    bool
	Data      []byte
}

// ParseError is an email that cannot be read at all; Problem says why.
type ParseError struct{ Problem string }

// Error says what makes the input no readable email.
func (e *ParseError) Error() string { return "email: " + e.Problem }

// ErrNotEmail is wrapped by every *ParseError.
var ErrNotEmail = errors.New("not a readable email")

// Unwrap returns ErrNotEmail.
func (e *ParseError) Unwrap() error { return ErrNotEmail }

// ParseMail reads an email. What is malformed but readable is read
// around and noted in Problems, as mail readers do; an input that is no
// email (no header, nothing that makes it mail) or larger than MaxEmail
// is a *ParseError that names the problem. It never panics.
func ParseMail(r io.Reader) (*Mail, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxEmail+1))
	if err != nil {
		return nil, fmt.Errorf("email: reading: %w", err)
	}
	if len(raw) > MaxEmail {
		return nil, &ParseError{Problem: fmt.Sprintf("larger than %d bytes", MaxEmail)}
	}
	return parseBytes(raw)
}

// mailHeaders are header fields at least one of which any email has.
var mailHeaders = []string{"From", "To", "Cc", "Date", "Message-Id", "Subject", "Sender", "Received", "Delivered-To", "Return-Path"}

func parseBytes(raw []byte) (*Mail, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, &ParseError{Problem: "the file is empty"}
	}
	e := &Mail{}
	ent, err := message.Read(bytes.NewReader(raw))
	if err != nil && ent == nil {
		// Mail whose header runs into its body without the blank line
		// between them is common: end the header before the first line
		// that is no field, if fields come before it.
		n, at := badLine(raw)
		if n <= 1 {
			return nil, &ParseError{Problem: "the header cannot be read: " + headerProblem(raw, err)}
		}
		fixed := slices.Concat(raw[:at], []byte("\r\n"), raw[at:])
		if ent, err = message.Read(bytes.NewReader(fixed)); err != nil && ent == nil {
			return nil, &ParseError{Problem: "the header cannot be read: " + headerProblem(raw, err)}
		}
		e.note("line %d is not a header field: the header is taken to end before it", n)
	}
	h := gomail.Header{Header: ent.Header}
	if !slices.ContainsFunc(mailHeaders, func(k string) bool { return h.Has(k) }) {
		return nil, &ParseError{Problem: "no mail header (From, To, Date, Subject, Message-ID ...) in the first lines: " + firstLine(raw)}
	}
	if err != nil {
		e.note("%v", err)
	}
	e.readHeader(&h)
	(&reader{Mail: e}).walk(ent, 0)
	return e, nil
}

// badLine returns the number of the first header line that is no field
// (or a continuation of one) and its offset; 0 when there is none.
func badLine(raw []byte) (n, at int) {
	for n = 1; at < len(raw) && n <= 10000; n++ {
		line, _, _ := bytes.Cut(raw[at:], []byte("\n"))
		next := at + len(line) + 1
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return 0, 0
		}
		if line[0] == ' ' || line[0] == '\t' {
			if n == 1 {
				return 1, at
			}
		} else if i := bytes.IndexByte(line, ':'); i <= 0 || bytes.ContainsAny(line[:i], " \t") {
			return n, at
		}
		at = next
	}
	return 0, 0
}

// headerProblem says where the header went wrong.
func headerProblem(raw []byte, err error) string {
	n, at := badLine(raw)
	if n == 0 {
		return err.Error()
	}
	line, _, _ := bytes.Cut(raw[at:], []byte("\n"))
	if n == 1 && (line[0] == ' ' || line[0] == '\t') {
		return "line 1 is a continuation with no field before it"
	}
	return fmt.Sprintf("line %d is not a header field: %q", n, clip(string(bytes.TrimRight(line, "\r"))))
}

func firstLine(raw []byte) string {
	line, _, _ := bytes.Cut(raw, []byte("\n"))
	return fmt.Sprintf("line 1 is %q", clip(string(bytes.TrimRight(line, "\r"))))
}

func clip(s string) string {
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func (e *Mail) note(format string, args ...any) {
	p := strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD")
	if len(e.Problems) < 100 && !slices.Contains(e.Problems, p) {
		e.Problems = append(e.Problems, p)
	}
}

// Key is what makes two imports of an email the same message (see
// Message.Key): its Message-ID together with a digest of what it says
// (date, sender and recipients, subject, bodies, parts and how they are
// shown), so that the same
// email taken from two mailboxes, whose transport headers differ, is one
// message, while two different emails that reuse a Message-ID (broken
// mailers do) are two. Without a Message-ID it is the SHA-256 of the
// original bytes, raw.
func (e *Mail) Key(raw []byte) string {
	if e.MessageID == "" {
		s := sha256.Sum256(raw)
		return "sha256:" + hex.EncodeToString(s[:])
	}
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	field(e.Date.UTC().Format(time.RFC3339Nano))
	for _, p := range e.Participants {
		field(string(p.Role))
		field(p.Name)
		field(p.Address)
	}
	field(e.Subject)
	field(e.Text)
	field(e.HTML)
	for _, p := range e.Parts {
		s := sha256.Sum256(p.Data)
		field(p.Name)
		field(p.MediaType)
		field(fmt.Sprint(p.Inline, p.ContentID))
		field(hex.EncodeToString(s[:]))
	}
	id := e.MessageID
	if len(id) > 100 {
		s := sha256.Sum256([]byte(id))
		id = hex.EncodeToString(s[:16])
	}
	return "mid:" + id + "#" + hex.EncodeToString(h.Sum(nil)[:12])
}

// Message returns the email as a message to record: an email at its
// Date, with its participants, subject, bodies and threading headers.
// Its direction, case, attachments and source are the recorder's to
// set.
func (e *Mail) Message() Message {
	return Message{Channel: Email, At: e.Date, Participants: slices.Clone(e.Participants), Subject: e.Subject,
		Text: e.Text, HTML: e.HTML, MessageID: e.MessageID, InReplyTo: slices.Clone(e.InReplyTo), References: slices.Clone(e.References)}
}

func (e *Mail) readHeader(h *gomail.Header) {
	var err error
	if e.Subject, err = h.Subject(); err != nil {
		e.note("Subject: %v (kept as sent)", err)
	}
	e.Subject = text(e.Subject)
	if len(e.Subject) > MaxSubject {
		e.note("Subject: %d bytes, cut to %d", len(e.Subject), MaxSubject)
		e.Subject = strings.ToValidUTF8(e.Subject[:MaxSubject], "")
	}
	if e.MessageID, err = h.MessageID(); err != nil {
		// A Message-ID that is not <left@right> is still what threads
		// refer to it by.
		e.MessageID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
		e.note("Message-ID: %v (kept as sent)", err)
	}
	if e.MessageID = text(e.MessageID); len(e.MessageID) > maxID {
		e.note("Message-ID: %d bytes, longer than %d: ignored", len(e.MessageID), maxID)
		e.MessageID = ""
	}
	e.InReplyTo = e.idList(h, "In-Reply-To")
	e.References = e.idList(h, "References")
	if v := h.Get("Date"); v != "" {
		if d, err := mail.ParseDate(v); err != nil {
			e.note("Date: %q cannot be read", clip(v))
		} else {
			e.Date = d.UTC()
		}
	}
	for _, f := range []struct {
		key  string
		role Role
	}{{"From", From}, {"To", To}, {"Cc", Cc}, {"Bcc", Bcc}} {
		e.Participants = append(e.Participants, e.addresses(h, f.key, f.role)...)
	}
}

// idList reads a list of message identifiers, keeping those before a
// malformed one.
func (e *Mail) idList(h *gomail.Header, key string) []string {
	ids, err := h.MsgIDList(key)
	if err != nil {
		e.note("%s: %v", key, err)
	}
	out := ids[:0]
	for _, id := range ids {
		if id = text(id); id != "" && len(id) <= maxID && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > 500 {
		// The oldest and the most recent matter for threading.
		out = append(out[:1], out[len(out)-499:]...)
	}
	return out
}

// addresses reads an address list; a malformed one is read address by
// address, and what still fails is kept as a name.
func (e *Mail) addresses(h *gomail.Header, key string, role Role) []Participant {
	var out []Participant
	for _, raw := range h.Values(key) {
		list, err := gomail.ParseAddressList(raw)
		if err == nil {
			for _, a := range list {
				out = addParticipant(out, role, a.Name, a.Address)
			}
			continue
		}
		e.note("%s: %v; read address by address", key, err)
		for _, one := range strings.Split(raw, ",") {
			one = strings.TrimSpace(one)
			if one == "" {
				continue
			}
			if a, err := gomail.ParseAddress(one); err == nil {
				out = addParticipant(out, role, a.Name, a.Address)
				continue
			}
			out = addParticipant(out, role, one, "")
		}
	}
	if len(out) > MaxParticipants/4 {
		e.note("%s: %d addresses, the first %d kept", key, len(out), MaxParticipants/4)
		out = out[:MaxParticipants/4]
	}
	return out
}

// addParticipant adds one participant of an address list, unless
// nothing of it is left once cleaned.
func addParticipant(out []Participant, role Role, name, addr string) []Participant {
	p := Participant{Role: role, Name: clipName(decodeWords(name)), Address: clipName(text(strings.ToLower(addr)))}
	if p.Name == "" && p.Address == "" {
		return out
	}
	return append(out, p)
}

// decodeWords decodes RFC 2047 encoded words left in a name, as mailers
// that quote them leave them.
func decodeWords(s string) string {
	if strings.Contains(s, "=?") {
		dec := mime.WordDecoder{CharsetReader: message.CharsetReader}
		if d, err := dec.DecodeHeader(s); err == nil {
			s = d
		}
	}
	return text(s)
}

func clipName(s string) string {
	if len(s) > 1000 {
		s = strings.ToValidUTF8(s[:1000], "")
	}
	return s
}

// text makes header text safe to store: valid UTF-8, no NULs, trimmed.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
}

// maxDepth bounds nested multiparts and attached messages; maxParts the
// parts read in all, which bounds the work a hostile email makes; maxID
// a message identifier.
const (
	maxDepth = 20
	maxParts = 2 * MaxAttachments
	maxID    = 1000
)

// walk reads an entity's parts, depth first.
func (e *reader) walk(ent *message.Entity, depth int) {
	mt, params, err := ent.Header.ContentType()
	if err != nil && ent.Header.Get("Content-Type") != "" {
		mt, params = loose(ent.Header.Get("Content-Type"), "name")
		e.note("Content-Type %q is malformed; read as %s", clip(ent.Header.Get("Content-Type")), mt)
	}
	if mt == "" {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= maxDepth {
			e.note("multipart nested deeper than %d levels; the rest is not read", maxDepth)
			return
		}
		if params["boundary"] == "" {
			e.note("%s without a boundary; its body is read as text", mt)
			e.leaf(ent, "text/plain", params)
			return
		}
		mr := ent.MultipartReader()
		for i := 0; ; i++ {
			if e.parts >= maxParts {
				e.note("more than %d parts; the rest is not read", maxParts)
				return
			}
			part, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if part == nil {
				e.note("part %d of %s: %v; the rest is not read", i+1, mt, err)
				return
			}
			if err != nil {
				e.note("part %d: %v (its bytes are kept as they came)", i+1, err)
			}
			e.walk(part, depth+1)
		}
	}
	e.leaf(ent, mt, params)
}

// leaf reads a part that is not multipart: a body, or an attachment.
func (e *reader) leaf(ent *message.Entity, mt string, params map[string]string) {
	e.parts++
	data, err := io.ReadAll(ent.Body)
	if err != nil {
		e.note("%s part: %v; the part is kept as far as it could be read", mt, err)
	}
	disp, dparams, derr := ent.Header.ContentDisposition()
	if derr != nil && ent.Header.Get("Content-Disposition") != "" {
		disp, dparams = loose(ent.Header.Get("Content-Disposition"), "filename")
		e.note("Content-Disposition %q is malformed; read as %s", clip(ent.Header.Get("Content-Disposition")), disp)
	}
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = clipName(text(name))
	isBody := (mt == "text/plain" || mt == "text/html") && disp != "attachment" && (name == "" || disp == "inline")
	switch {
	case isBody && mt == "text/plain" && e.Text == "":
		e.Text = body(data)
		return
	case isBody && mt == "text/html" && e.HTML == "":
		e.HTML = body(data)
		return
	}
	cid := strings.Trim(strings.TrimSpace(ent.Header.Get("Content-Id")), "<>")
	if name == "" {
		name = defaultName(mt, len(e.Parts)+1)
	}
	if len(e.Parts) == MaxAttachments {
		e.note("more than %d attachments; %s and those after it are not kept", MaxAttachments, name)
		return
	}
	e.Parts = append(e.Parts, Part{Name: name, MediaType: mt, ContentID: text(cid), Inline: disp == "inline" || disp == "" && cid != "", Data: data})
}

var (
	mediaTypeRE = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*|[A-Za-z][A-Za-z-]*)`)
	paramRE     = map[string]*regexp.Regexp{
		"name":     regexp.MustCompile(`(?i)\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))`),
		"filename": regexp.MustCompile(`(?i)\bfilename\s*=\s*(?:"([^"]*)"|([^;\s]+))`),
	}
)

// loose reads a malformed Content-Type or Content-Disposition as mail
// readers do: the value up to the first separator, and the one parameter
// that names the file. A Content-Type that names no media type is
// text/plain (RFC 2045, 5.2).
func loose(v, param string) (string, map[string]string) {
	var value string
	if m := mediaTypeRE.FindStringSubmatch(v); m != nil {
		value = strings.ToLower(m[1])
	}
	if param == "name" && !strings.Contains(value, "/") {
		value = "text/plain"
	}
	params := map[string]string{}
	if m := paramRE[param].FindStringSubmatch(v); m != nil {
		params[param] = m[1] + m[2]
	}
	return value, params
}

// body is a text body as UTF-8 without NULs.
func body(b []byte) string {
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) > MaxBody {
		s = strings.ToValidUTF8(s[:MaxBody], "")
	}
	return s
}

// defaultName names an unnamed part by its media type.
func defaultName(mt string, n int) string {
	ext := ".bin"
	switch {
	case mt == "message/rfc822":
		ext = ".eml"
	case mt == "text/plain":
		ext = ".txt"
	case mt == "text/html":
		ext = ".html"
	default:
		if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
			ext = exts[0]
		}
	}
	return fmt.Sprintf("part-%d%s", n, ext)
}
