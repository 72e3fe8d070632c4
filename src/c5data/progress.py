"""Progress of long work (build, site, publish): each finished stage reported with its seconds, to whoever listens."""

from __future__ import annotations

import time
from collections.abc import Callable

Listener = Callable[[str, float], None]


class Stages:
    """Call with a stage's name when it finishes; the listener (e.g. the CLI's progress lines) gets the seconds it took."""

    def __init__(self, listener: Listener | None) -> None:
        self.listener = listener
        self.clock = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.listener is not None:
            self.listener(name, now - self.clock)
        self.clock = now
