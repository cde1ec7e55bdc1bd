"""The README and the docs speak of what is in the repository, and the README lists every option
of `zeren serve`."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management import load_command_class

ROOT = Path(settings.BASE_DIR)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A path in backticks: folders and files of the repository (`zeren/campaigns/`, `docs/api.md`).
PATH = re.compile(
    r"`((?:\.\./)?(?:zeren|docs|tests|bench|scripts|static|templates|deploy|shared|\.ci)/[\w./-]*)`"
)


def test_docs_name_only_files_of_the_repository() -> None:
    missing = []
    for doc in DOCS:
        for m in PATH.finditer(doc.read_text(encoding="utf-8")):
            path = m.group(1)
            if "*" in path or "<" in path:
                continue
            if not (ROOT / path).exists():
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
    assert missing == []


def test_the_readme_lists_every_option_of_serve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = load_command_class("zeren.ops", "serve").create_parser("zeren", "serve")
    options = {
        o
        for action in parser._actions
        for o in action.option_strings
        if o.startswith("--")
        and o
        not in (
            "--help",
            "--version",
            "--settings",
            "--pythonpath",
            "--traceback",
            "--no-color",
            "--force-color",
            "--skip-checks",
            "--verbosity",
        )
    }
    assert options and {o for o in options if o not in readme} == set()
