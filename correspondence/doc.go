// Package correspondence models the record of a firm's correspondence:
// every email, letter, phone call, meeting, video call, fax, text message
// and portal message, with whom, when, on which case.
//
// # Messages
//
// A Message has a Channel, a Direction (inbound, outbound, internal),
// Participants (linked to the firm's contacts and users where known), a
// subject, a body as text and, for email, as HTML, the time it happened,
// who recorded it, the case it is filed on (none while it waits in the
// unfiled queue), Attachments stored by their SHA-256, privileged and
// confidential flags, and a Thread. A recorded message never changes: a
// correction is a new message that Amends the original, with a Reason.
// Filing an unfiled message on a case is the one later change.
//
// # Email
//
// ParseMail reads an RFC 5322 / MIME email through
// github.com/emersion/go-message: encoded headers and character sets are
// decoded to UTF-8, the first plain-text and HTML bodies become the
// message's body, and every other part (attachments, inline images,
// attached messages) a Part. Real mail is often malformed; what can be
// read around (an unknown character set, a Content-Type without its
// semicolon, a header that runs into the body) is read around and noted
// in Mail.Problems, and only an input that is no email at all is a
// *ParseError that names the problem. MessageID, InReplyTo and
// References thread replies with what they answer; Mail.Key makes
// importing the same message twice store it once.
//
// # Filing
//
// SubjectReferences finds case references in a subject
// ("Re: [2026-CR-0001] Discovery"), and a FilingAddress pattern
// ("cases+{ref}@firm.example") gives every case its own address.
//
// The package is pure: no I/O beyond the readers it is handed. It is
// persisted through package storage and used through docket.Firm.
package correspondence
