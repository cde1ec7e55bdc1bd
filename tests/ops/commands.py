"""Runs several Zeren commands in one process (saves a start-up each): args split by `--`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    import django
    from django.core.management import call_command

    django.setup()
    command: list[str] = []
    for arg in [*argv, "--"]:
        if arg != "--":
            command.append(arg)
            continue
        if command:
            call_command(*command)
        command = []


if __name__ == "__main__":
    main(sys.argv[1:])
