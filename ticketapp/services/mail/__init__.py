"""The e-mail channel. Modules, imported by name (this package re-exports nothing, so the
notifications can use `tokens` and `outbound` without loading the intake and its services):

- `intake`: `ingest(session, raw, mailbox)`, the one way in for a raw message (new ticket, reply
  on its ticket, dropped with a reason, or quarantined), and `ingest_and_commit(engine, ...)`;
- `parse`, `body`: reading a message, HTML to Markdown, cutting quoted history and signatures;
- `tokens`: the signed reply token (Reply-To plus part, `[#1234-<mac>]` in the subject);
- `outbound`: the threading headers of the e-mails the app sends about a ticket.
"""
