"""A consumer killed in the middle of sending an email, then started again.

The SMTP stand-in holds the conversation open at a chosen step while the test kills the
consumer with SIGKILL, so the delivery is left claimed ("sending") with no attempt
finished. After JOBS_STALE_AFTER the sweep sends it again:

- killed before the server took the message (at RCPT): it arrives exactly once;
- killed after the server took it but before it answered (at the end of DATA): the
  channel cannot tell, so it arrives twice, both copies with the same Message-ID, which
  mail systems use to drop the repeat. That is what remains (docs/jobs.md).
"""

from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from backend.notifications.models import Delivery
from tests.notifications.standins import wait_for
from tests.notifications.test_consumer import setup  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow


class HoldingMailServer:
    """An SMTP server that stops at `hold` ("RCPT" or "DATA") until released."""

    def __init__(self, port: int, hold: str) -> None:
        self.port, self.hold = port, hold
        self.messages: list[bytes] = []
        self.reached = threading.Event()
        self.released = threading.Event()

    async def _wait(self) -> None:
        self.reached.set()
        while not self.released.is_set():
            await asyncio.sleep(0.05)

    def start(self) -> HoldingMailServer:
        server = self

        class Handler:
            async def handle_RCPT(self, smtp, session, envelope, address, options) -> str:
                if server.hold == "RCPT" and not server.released.is_set():
                    await server._wait()
                    return "451 try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                server.messages.append(envelope.content)  # taken: as a real server queues it
                if server.hold == "DATA" and not server.released.is_set():
                    await server._wait()
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def _header(raw: bytes, name: str) -> str:
    return str(message_from_bytes(raw, policy=policy.default)[name])


def _delivery(sql) -> Delivery:
    return sql(lambda s: s.scalars(select(Delivery).where(Delivery.channel == "email")).one())


@pytest.mark.parametrize("hold", ["RCPT", "DATA"])
def test_a_consumer_killed_mid_send_resends_that_one_email(setup, practitioner_api, sql, hold):  # noqa: F811
    consumer = setup["consumer"]
    consumer.env["JOBS_STALE_AFTER"] = "1"
    smtp = HoldingMailServer(setup["smtp"].port, hold).start()
    try:
        consumer.start()
        assert practitioner_api.post("/api/v1/me/notifications/test").status_code == 202
        # A busy machine can take a while to start the consumer and import the app.
        reached = smtp.reached.wait(180)
        assert reached, setup["log"].read_text()[-3000:]
        consumer.kill()  # mid-send: the delivery's claim is committed, no attempt finished
        left = _delivery(sql)
        assert (left.status, left.attempts, left.sent_at) == ("sending", 1, None)
        smtp.released.set()
        consumer.start()  # the next tick's sweep finds the stale claim and sends again
        # The sweep runs once a tick (here 2 s), on whichever consumer writes its marker.
        wait_for(
            lambda: _delivery(sql).status == "sent",
            timeout=300,
            what=f"the resend; consumer log: {setup['log']}",
        )
        done = _delivery(sql)
        assert done.attempts == 2
        if hold == "RCPT":
            # The server never took the first attempt: exactly one email.
            assert len(smtp.messages) == 1
        else:
            # Taken but never acknowledged: the one repeat the channel allows, same ids.
            assert len(smtp.messages) == 2
            ids = {_header(m, "Message-ID") for m in smtp.messages}
            assert len(ids) == 1
            assert {_header(m, "X-Limber-Notification") for m in smtp.messages} == {
                str(done.notification_id)
            }
    finally:
        smtp.released.set()
        smtp.stop()
