"""Signals about accounts, for channels (email, push) that tell the owner.

    login_brake_engaged.connect(handler, app)   handler(app, user=User, failures=int)

Sent when wrong passwords for an existing account reach the point where the sign-in brake
starts to hold tries back, and again each time the count doubles after that.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

login_brake_engaged = _signals.signal("login-brake-engaged")
