"""Email over SMTP. Without SMTP_HOST, each message is written to MAIL_DIR and logged.

An email never carries health details: one fixed line per kind, a link into Limber and
an unsubscribe link for that kind. The notification's title and body are not used.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html import escape
from pathlib import Path
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from backend.links import absolute
from backend.notifications.models import NOTIFICATION_KINDS

log = logging.getLogger(__name__)

# kind: (subject, the one line the email says)
EMAIL_TEXTS = {
    "client_alert": (
        "A client needs your attention",
        "A client reported an emergency or urgent warning sign — open Limber.",
    ),
    "alert_digest": (
        "New alerts about your clients",
        "There are new alerts about your clients to review — open Limber.",
    ),
    "routine_reminder": ("Your routine for today", "Today's routine is waiting — open Limber."),
    "morning_checkin": ("How is your back this morning?", "Tell Limber how your back feels."),
    "questionnaire_due": (
        "Your progress questions are ready",
        "A few short questions are waiting for you — open Limber.",
    ),
    "sign_in_warning": (
        "Wrong passwords for your Limber account",
        "Someone has typed a wrong password for your account several times. If it was not "
        "you, change your password in Limber's Settings.",
    ),
    # Never the message itself: only that there is one.
    "message": (
        "You have a new message",
        "You have a new message in Limber — open Limber to read it.",
    ),
    "test": ("Limber test email", "This is a test: email from Limber reaches you."),
}
_SALT = "limber-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: Any, kind: str) -> str:
    return str(_serializer().dumps({"u": str(user_id), "k": kind}))


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in NOTIFICATION_KINDS:
        return None
    return str(data.get("u")), str(data["k"])


def message_id(notification_id: Any) -> str:
    """`<notification id@sender's domain>`: one id per notification, whatever the attempt."""
    _, address = parseaddr(current_app.config["SMTP_FROM"])
    domain = address.rpartition("@")[2] or "limber.local"
    return f"<{notification_id}.email@{domain}>"


def compose(user: Any, notification: Any) -> EmailMessage:
    subject, line = EMAIL_TEXTS[notification.kind]
    link = absolute(notification.url)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = user.email
    message["Date"] = format_datetime(datetime.now(UTC))
    # Stable across attempts: a resend after a worker died mid-send carries the same id,
    # which mail systems use to drop the second copy (docs/jobs.md).
    message["Message-ID"] = message_id(notification.id)
    # The same id on every attempt, so a receiving server can spot a repeat.
    message["X-Limber-Notification"] = str(notification.id)
    text = [line, "", link]
    html = [f"<p>{escape(line)}</p>", f'<p><a href="{escape(link)}">Open Limber</a></p>']
    if notification.kind in NOTIFICATION_KINDS:
        unsubscribe = absolute(
            f"/api/v1/unsubscribe/{unsubscribe_token(notification.user_id, notification.kind)}"
        )
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text += ["", f"Stop these emails: {unsubscribe}"]
        html.append(
            f'<p style="font-size:small"><a href="{escape(unsubscribe)}">Stop these emails</a></p>'
        )
    message.set_content("\n".join(text) + "\n")
    message.add_alternative(
        "<!doctype html><html><body>" + "".join(html) + "</body></html>", subtype="html"
    )
    return message


def send(message: EmailMessage) -> None:
    config = current_app.config
    if not config["SMTP_HOST"]:
        _write_to_folder(message, config)
        return
    smtp_class = smtplib.SMTP_SSL if config["SMTP_SSL"] else smtplib.SMTP
    with smtp_class(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]) as s:
        if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
            s.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            s.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        s.send_message(message)
    log.info("email sent", extra={"kind_subject": message["Subject"]})


def _write_to_folder(message: EmailMessage, config: Any) -> None:
    folder = config.get("MAIL_DIR")
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{message['X-Limber-Notification']}.eml"
        (path / name).write_bytes(bytes(message))
    log.info(
        "email not sent (no SMTP_HOST): written to %s",
        folder or "nowhere",
        extra={"to_domain": str(message["To"]).rpartition("@")[2], "subject": message["Subject"]},
    )
