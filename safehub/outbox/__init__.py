"""The demo's outbox: in demo mode Safehub keeps the emails it sends, for the people they were sent to
to read on the Outbox page, and writes each one to a file (docs/adr/0014-demo-outbox.md)."""
