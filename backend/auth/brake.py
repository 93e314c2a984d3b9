"""The per-account sign-in brake: how long to hold back the next try. No Flask import.

The first `free` wrong passwords in a row cost nothing; after that each one doubles the
wait before the account takes another try, up to `cap` seconds. The wait never grows
beyond the cap, so someone who knows the owner's address cannot keep them out for long:
once the wait is over, the right password signs in and clears the count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# A run of failures this old is forgotten.
FORGET_AFTER = timedelta(days=1)


def wait_seconds(failures: int, free: int, cap: int) -> int:
    """Seconds to hold back after `failures` wrong passwords in a row."""
    if failures < free:
        return 0
    return int(min(cap, 2 ** (failures - free)))


def should_tell_owner(failures: int, free: int) -> bool:
    """When the brake engages, and each time the count doubles after that."""
    if failures < free:
        return False
    extra = failures - free + 1
    return extra & (extra - 1) == 0


def still_counts(last_failed_at: datetime, now: datetime) -> bool:
    return now - last_failed_at < FORGET_AFTER
