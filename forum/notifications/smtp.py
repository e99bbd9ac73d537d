"""Handing outbox mails to the mail server: one connection per batch, or the log without one.

``FORUM_MAIL_URL`` is ``smtp://user:password@host:587?starttls=1`` or ``smtps://…:465``; empty
means every mail is written to the log. When the server cannot be reached, the rest of the batch
fails at once with the same error instead of waiting for a time-out per mail.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from forum.notifications.outbox import OutboxMessage

log = logging.getLogger("forum.mail")
# Not accepted: the server is away or refused it, or the stored mail cannot be written out
# (ValueError from the email package, e.g. a line break in an address).
SEND_ERRORS = (OSError, smtplib.SMTPException, ValueError)
TIMEOUT_SECONDS = 10
# For writing the headers out: RFC 5322 allows 998 characters a line. At the default 78 a
# List-Unsubscribe URL (no spaces to fold at) becomes encoded words, which mail programs do not
# read as a link. The bodies are encoded before (76-character lines, as RFC 2045 wants).
HEADER_POLICY = policy.default.clone(max_line_length=998)
# Headers the outbox sets itself; a stored header of these names is ignored.
RESERVED_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "content-type",
        "mime-version",
        "x-request-id",
    }
)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """Plain text, plus an HTML alternative when there is one (multipart/alternative)."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    # The same id on every try, so a receiving server can recognise a repeat.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<outbox.{message.id}.{int(message.created_at.timestamp())}@{domain}>"
    for name, value in (message.headers or {}).items():
        if (
            isinstance(name, str)
            and isinstance(value, str)
            and name.lower() not in RESERVED_HEADERS
        ):
            email[name] = value
    if message.request_id:
        email["X-Request-Id"] = message.request_id
    # Quoted-printable keeps the text readable in the raw mail (base64 would hide it).
    email.set_content(message.body, cte="quoted-printable")
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html", cte="quoted-printable")
    email.policy = HEADER_POLICY
    return email


class Connection:
    """``with Connection(app.config) as connection: connection.send(message)``."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.url: str = config["FORUM_MAIL_URL"]
        self.sender: str = config["FORUM_MAIL_FROM"]
        self.server: smtplib.SMTP | None = None
        self.broken: BaseException | None = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, message: OutboxMessage) -> None:
        """Hand one mail over; raises one of ``SEND_ERRORS`` when it was not accepted."""
        email = build_email(message, self.sender)
        if not self.url:
            log.info(
                "Mail to %s\nSubject: %s\n\n%s", message.to_address, message.subject, message.body
            )
            return
        server = self.connect()
        try:
            server.send_message(email, from_addr=parseaddr(self.sender)[1])
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # the next mail tries a new connection
            raise

    def connect(self) -> smtplib.SMTP:
        if self.broken is not None:
            raise self.broken
        if self.server is not None:
            return self.server
        parts = urlsplit(self.url)
        options = parse_qs(parts.query)
        secure = parts.scheme == "smtps"
        smtp_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
        try:
            self.server = smtp_class(
                parts.hostname or "localhost",
                parts.port or (465 if secure else 25),
                timeout=TIMEOUT_SECONDS,
            )
            if options.get("starttls", ["0"])[0] in {"1", "true", "yes"}:
                self.server.starttls()
            if parts.username:
                self.server.login(unquote(parts.username), unquote(parts.password or ""))
        except SEND_ERRORS as error:
            # Connecting failed: the rest of this batch fails at once with the same error.
            self.broken = error
            self.close()
            raise
        return self.server

    def close(self) -> None:
        if self.server is not None:
            try:
                self.server.quit()
            except SEND_ERRORS:
                self.server.close()
            self.server = None
