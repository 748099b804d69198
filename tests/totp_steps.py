"""Which TOTP time step a test (or the benchmark) may sign a staff account in with.

The server accepts a code from one step either side of its clock, each step once per account
and only after the last one used (no replay). A code from the step before now is cheap (no
waiting when an account signs in several times) but expires when the current step ends, which
a request slowed down by a loaded machine may cross; `margin` is how long the code must stay
good.
"""

from __future__ import annotations

import time

INTERVAL = 30


def unused_step(last_used: int | None, margin: float) -> int:
    """The earliest step after `last_used` that the server accepts now and for `margin` more
    seconds, waiting for the next step when every acceptable one is used."""
    while True:
        now = time.time()
        now_step = int(now // INTERVAL)
        previous_lasts = (now_step + 1) * INTERVAL - now >= margin
        earliest = now_step - 1 if previous_lasts else now_step
        step = earliest if last_used is None or last_used < earliest else last_used + 1
        if step <= now_step + 1:
            return step
        time.sleep((now_step + 1) * INTERVAL - now + 0.5)
