"""Other features react to runs through these signals instead of importing runs code."""

from blinker import Namespace

_signals = Namespace()

# Sent after a run is created or changed and committed: sender=None, run=Run.
run_saved = _signals.signal("run-saved")

# Sent after a run is deleted and committed: sender=None, user_id=UUID, run_id=UUID.
run_deleted = _signals.signal("run-deleted")
