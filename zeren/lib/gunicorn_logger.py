"""Gunicorn's access log without secrets: invitation and password-reset tokens are redacted."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

SECRET_PATHS = re.compile(r"(/accounts/invitation/|/accounts/password/reset/(?!sent/))[^\s\"?]+")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1[redacted]/", text)


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
