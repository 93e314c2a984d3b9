"""Signals the practice feature sends, so other features can react without importing its services."""

from blinker import Namespace

_signals = Namespace()

# Sent once per newly raised alert, after it is committed: sender=None, alert_id=UUID,
# practitioner_id=UUID, runner_id=UUID, kind=str, level=str.
alert_raised = _signals.signal("alert-raised")
