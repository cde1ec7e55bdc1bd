"""The kinds of background job, registered by name at start-up by the apps that do the work.

Each app's AppConfig.ready() says which function runs its kind and which ends it when every
attempt failed (as zulip's queue processors register by queue name). Functions are named by
dotted path and imported when a job of their kind runs, so a web process that only enqueues
never loads what the worker needs (LibreOffice wrappers, OpenCV, matplotlib).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


class UnknownJobKind(LookupError):
    pass


@dataclass(frozen=True)
class Kind:
    name: str
    run: str  # dotted path: called with the job's keyword arguments
    give_up: str = ""  # dotted path: called with the same arguments and reason=<for the user>
    queue: str = "default"

    def runner(self) -> Callable[..., Any]:
        fn: Callable[..., Any] = import_string(self.run)
        return fn

    def giver_up(self) -> Callable[..., Any] | None:
        if not self.give_up:
            return None
        fn: Callable[..., Any] = import_string(self.give_up)
        return fn


_kinds: dict[str, Kind] = {}


def register(name: str, *, run: str, give_up: str = "", queue: str = "default") -> Kind:
    """Registers a kind of job; registering the same kind twice the same way is harmless."""
    kind = Kind(name=name, run=run, give_up=give_up, queue=queue)
    existing = _kinds.get(name)
    if existing is not None and existing != kind:
        raise ValueError(f"job kind {name!r} is already registered as {existing}")
    _kinds[name] = kind
    return kind


def kind(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownJobKind(name) from None


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.name)
