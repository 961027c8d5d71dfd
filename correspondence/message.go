package correspondence

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	cases "github.com/docketkit/docket/case"
)

// ID identifies a message.
type ID string

// Channel is how a message travelled.
type Channel string

// The channels.
const (
	Email   Channel = "email"
	Letter  Channel = "letter"
	Call    Channel = "phone-call"
	Meeting Channel = "meeting"
	Video   Channel = "video-call"
	Fax     Channel = "fax"
	SMS     Channel = "sms"
	Portal  Channel = "portal"
)

// Channels lists every channel, in a stable order.
var Channels = []Channel{Email, Letter, Call, Meeting, Video, Fax, SMS, Portal}

// Direction is which way a message went, seen from the firm.
type Direction string

// The directions.
const (
	Inbound  Direction = "inbound"
	Outbound Direction = "outbound"
	Internal Direction = "internal"
)

// Directions lists every direction.
var Directions = []Direction{Inbound, Outbound, Internal}

// Role is a participant's part in a message.
type Role string

// The participant roles: From wrote or called; To, Cc and Bcc received;
// Attendee took part in a call or meeting.
const (
	From     Role = "from"
	To       Role = "to"
	Cc       Role = "cc"
	Bcc      Role = "bcc"
	Attendee Role = "attendee"
)

// Roles lists every participant role.
var Roles = []Role{From, To, Cc, Bcc, Attendee}

// Participant is someone who took part in a message, linked to the
// firm's contact or user where known.
type Participant struct {
	Role Role `json:"role"`
	// Name is the display name as given, Address the email address, phone
	// number or postal address; at least one is set.
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
	// Contact and User link the participant to a contact or a user of
	// the firm, when known.
	Contact cases.ContactID `json:"contact,omitempty"`
	User    string          `json:"user,omitempty"`
}

// Attachment is a file that came with a message. Its content is stored
// once, by its SHA-256; once the message is on a case, the attachment is
// also a document there (Document), with the content as its first
// version.
type Attachment struct {
	// Name is the file name as sent ("" for an unnamed inline part).
	Name      string `json:"name,omitempty"`
	MediaType string `json:"media_type"`
	Hash      string `json:"hash"`
	Size      int64  `json:"size"`
	// Inline is set for parts shown within the body (an embedded image),
	// with the Content-ID the HTML refers to them by.
	Inline    bool   `json:"inline,omitempty"`
	ContentID string `json:"content_id,omitempty"`
	// Document is the document the attachment became on the message's
	// case; empty while the message is unfiled.
	Document string `json:"document,omitempty"`
}

// Message is one item of correspondence: an email, a letter, a call, a
// meeting... Once recorded it does not change: a correction is a new
// message that Amends it. Only its filing (Case, and the documents its
// attachments became) is set later, once, when an unfiled message is
// filed.
type Message struct {
	ID        ID
	Channel   Channel
	Direction Direction
	// At is when it happened (sent, received, called, met).
	At           time.Time
	Participants []Participant
	Subject      string
	// Text is the body as plain text; HTML the body as sent in HTML, if
	// it was. An HTML-only message's Text is the HTML's text.
	Text string
	HTML string
	// Case is the case the message is filed on; empty while unfiled.
	Case cases.ID
	// Privileged marks attorney-client privileged communication; it shows
	// only to the case's team and to roles granted document.privileged.
	// Confidential marks what is never disclosed outside the firm (the
	// client portal included).
	Privileged   bool
	Confidential bool
	Attachments  []Attachment
	// Thread groups a conversation: messages that reply to one another
	// share it. It is the ID of the thread's first message, as far as
	// known.
	Thread string
	// MessageID, InReplyTo and References are an email's own headers,
	// without angle brackets; a message recorded by hand may set InReplyTo
	// to the ID of the message it answers.
	MessageID  string
	InReplyTo  []string
	References []string
	// Source is the SHA-256 of the original, as imported (an email's raw
	// bytes, kept as content), so the original can be re-created.
	Source string
	// Key identifies an imported message: importing one whose Key is
	// stored already stores nothing (see Mail.Key). Empty for a message
	// recorded by hand.
	Key string
	// Amends is the message this one corrects, and Reason why.
	Amends ID
	Reason string
	// RecordedBy is the user who recorded or imported it.
	RecordedBy string
	// Filed is when it was filed on its case, and FiledBy who filed it.
	Filed   time.Time
	FiledBy string
	Version int64
	Created time.Time
	Updated time.Time
}

// Limits on a message's fields.
const (
	MaxSubject      = 1000
	MaxBody         = 8 << 20
	MaxParticipants = 1000
	MaxAttachments  = 500
)

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func invalid(field, format string, args ...any) error {
	return &cases.FieldError{Record: "message", Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Validate checks a message's fields and names the first at fault.
func (m *Message) Validate() error {
	if !slices.Contains(Channels, m.Channel) {
		return invalid("Channel", "%q is not a channel (%s)", m.Channel, joinAll(Channels))
	}
	if !slices.Contains(Directions, m.Direction) {
		return invalid("Direction", "%q is not inbound, outbound or internal", m.Direction)
	}
	if m.At.IsZero() {
		return invalid("At", "is required: when the message was sent, received or took place")
	}
	if len(m.Participants) == 0 {
		return invalid("Participants", "name at least one participant")
	}
	if len(m.Participants) > MaxParticipants {
		return invalid("Participants", "has %d participants, more than %d", len(m.Participants), MaxParticipants)
	}
	for i, p := range m.Participants {
		f := fmt.Sprintf("Participants[%d]", i)
		if !slices.Contains(Roles, p.Role) {
			return invalid(f+".Role", "%q is not a participant role (%s)", p.Role, joinAll(Roles))
		}
		if strings.TrimSpace(p.Name) == "" && strings.TrimSpace(p.Address) == "" && p.Contact == "" && p.User == "" {
			return invalid(f, "give a name, an address, a contact or a user")
		}
		if err := checkText(f+".Name", p.Name, 1000); err != nil {
			return err
		}
		if err := checkText(f+".Address", p.Address, 1000); err != nil {
			return err
		}
	}
	if err := checkText("Subject", m.Subject, MaxSubject); err != nil {
		return err
	}
	if err := checkText("Text", m.Text, MaxBody); err != nil {
		return err
	}
	if err := checkText("HTML", m.HTML, MaxBody); err != nil {
		return err
	}
	if len(m.Attachments) > MaxAttachments {
		return invalid("Attachments", "has %d attachments, more than %d", len(m.Attachments), MaxAttachments)
	}
	for i, a := range m.Attachments {
		f := fmt.Sprintf("Attachments[%d]", i)
		if !hashRE.MatchString(a.Hash) {
			return invalid(f+".Hash", "%q is not a SHA-256 in lower-case hex", a.Hash)
		}
		if a.Size < 0 {
			return invalid(f+".Size", "is negative")
		}
		if err := checkText(f+".Name", a.Name, 1000); err != nil {
			return err
		}
		if a.MediaType == "" {
			return invalid(f+".MediaType", "is required")
		}
	}
	if err := checkText("Key", m.Key, 200); err != nil {
		return err
	}
	if m.Source != "" && !hashRE.MatchString(m.Source) {
		return invalid("Source", "%q is not a SHA-256 in lower-case hex", m.Source)
	}
	if m.Amends != "" && strings.TrimSpace(m.Reason) == "" {
		return invalid("Reason", "say why the original is corrected")
	}
	if err := checkIDs("InReplyTo", m.InReplyTo); err != nil {
		return err
	}
	if err := checkIDs("References", m.References); err != nil {
		return err
	}
	return checkText("MessageID", m.MessageID, 1000)
}

// checkIDs checks a list of message identifiers.
func checkIDs(field string, ids []string) error {
	if len(ids) > 500 {
		return invalid(field, "lists %d messages, more than 500", len(ids))
	}
	for i, id := range ids {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), id, 1000); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses text that is not UTF-8, holds a NUL or is longer
// than max bytes (cases.ValidateText, for a message).
func checkText(field, s string, max int) error {
	return cases.ValidateText("message", field, s, max, false)
}

func joinAll[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// Contacts returns the contacts among the participants, each once, in
// order.
func (m *Message) Contacts() []cases.ContactID {
	var out []cases.ContactID
	for _, p := range m.Participants {
		if p.Contact != "" && !slices.Contains(out, p.Contact) {
			out = append(out, p.Contact)
		}
	}
	return out
}

// Content returns the SHA-256 of every content the message refers to:
// its attachments' and its original's.
func (m *Message) Content() []string {
	var out []string
	for _, a := range m.Attachments {
		out = append(out, a.Hash)
	}
	if m.Source != "" {
		out = append(out, m.Source)
	}
	return out
}
