"""The English translation: complete, compiled, in step with the source, and used by the pages.

Zeren is written in Chinese (the msgids are Chinese); zeren/locale/en holds the English. These
tests fail when a Chinese UI string has no English, when django.mo was not recompiled after an
edit of django.po, or when a page still shows Chinese chrome with the language set to English.
See docs/i18n.md for the workflow.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.assessments.helpers import fill_completely
from zeren.accounts.models import Enterprise, User
from zeren.assessments import submissions
from zeren.assessments.models import (
    Answer,
    AnswerComment,
    EvidenceItem,
    RevisionRequest,
    SelfAssessment,
    StoredFile,
    Submission,
)
from zeren.campaigns.models import Campaign
from zeren.frameworks.models import Area, Framework, Indicator, Level, Topic

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "zeren" / "locale"
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# Han ideographs (CJK Unified Ideographs and Extension A, compatibility ideographs). Full-width
# punctuation is not counted: it carries no words.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


# -- a small .po reader and .mo reader ------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        """The key msgfmt writes into the .mo: context EOT msgid, then NUL plural."""
        key = self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"
        return key if self.msgid_plural is None else f"{key}\x00{self.msgid_plural}"


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid "")."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and target is not None:
            entries.append(entry)
        entry, target = None, None

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                continue  # the previous msgid of an obsolete fuzzy entry
        elif line.startswith("#"):
            if target is not None:
                finish()  # a comment starts the next entry, even without a blank line
            if entry is None:
                entry = Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if entry is None:
            entry = Entry(line=number)
        entry.obsolete = entry.obsolete or obsolete
        match = keyword.match(line)
        if match:
            name, index, literal = match.groups()
            if name in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()  # a new entry with no blank line or comment before it
                entry = Entry(line=number, obsolete=obsolete)
            value = ast.literal_eval(literal)
            if name == "msgstr":
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = value
            else:
                target = (name, 0)
                setattr(entry, name, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """All (key, translation) pairs stored in a GNU .mo file."""
    data = path.read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    catalog = {}
    for i in range(count):
        length, offset = struct.unpack(
            order + "2I", data[originals + 8 * i : originals + 8 * i + 8]
        )
        t_length, t_offset = struct.unpack(
            order + "2I", data[translations + 8 * i : translations + 8 * i + 8]
        )
        catalog[data[offset : offset + length].decode()] = data[
            t_offset : t_offset + t_length
        ].decode()
    return catalog


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries: no header, nothing obsolete."""
    return [e for e in entries if e.msgid and not e.obsolete]


# -- the catalogue itself -------------------------------------------------------------------


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = read_po(PO)
    header = [e for e in entries if e.msgid == "" and not e.obsolete]
    assert len(header) == 1, "django.po needs exactly one header entry"
    assert "fuzzy" not in header[0].flags, "the header is marked fuzzy; remove '#, fuzzy'"
    assert "Language: en\n" in header[0].msgstr[0]
    assert "charset=UTF-8" in header[0].msgstr[0]

    problems = []
    for e in messages(entries):
        where = f"django.po:{e.line} {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"{where}: fuzzy")
        expected_forms = 2 if e.msgid_plural is not None else 1
        if sorted(e.msgstr) != list(range(expected_forms)):
            problems.append(f"{where}: expected {expected_forms} msgstr forms")
        for index, text in e.msgstr.items():
            if not text.strip():
                problems.append(f"{where}: msgstr[{index}] is empty")
            elif HAN.search(text):
                problems.append(f"{where}: msgstr[{index}] still contains Chinese: {text!r}")
    assert not problems, "\n".join(problems)
    assert len(messages(entries)) > 250


def test_placeholders_are_kept_exactly() -> None:
    problems = []
    for e in messages(read_po(PO)):
        source = set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or "")))
        for index, text in e.msgstr.items():
            if set(PLACEHOLDER.findall(text)) != source:
                problems.append(f"django.po:{e.line} {e.msgid!r} -> msgstr[{index}] {text!r}")
            if e.msgid.endswith("\n") != text.endswith("\n"):
                problems.append(f"django.po:{e.line} {e.msgid!r}: trailing newline differs")
    assert not problems, "placeholders changed:\n" + "\n".join(problems)


def test_mo_is_compiled_from_the_current_po() -> None:
    # What msgfmt would write: every translated, non-fuzzy entry (plural forms NUL-joined).
    expected = {
        e.key: "\x00".join(e.msgstr[i] for i in sorted(e.msgstr))
        for e in messages(read_po(PO))
        if "fuzzy" not in e.flags and all(e.msgstr.values())
    }
    compiled = read_mo(MO)
    compiled.pop("", None)  # the header
    stale = sorted(set(expected.items()) ^ set(compiled.items()))
    assert not stale, (
        "django.mo is out of date with django.po; run "
        "`.venv/bin/python -m django compilemessages -l en --ignore=.venv "
        f"--settings=zeren.settings` (first differences: {stale[:5]})"
    )


# -- the source: every string marked for translation is in the catalogue --------------------

SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIPPED_DIRS = {".venv", ".git", "var", "tests", "bench", "node_modules", "locale", "__pycache__"}


def _copy_sources(destination: Path) -> None:
    """The project's translatable files, as makemessages sees them (tests, bench, var left out)."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory)
        return {
            n
            for n in names
            if n in SKIPPED_DIRS
            or n.startswith(".")
            or ((here / n).is_file() and (here / n).suffix not in SOURCE_SUFFIXES)
        }

    shutil.copytree(ROOT, destination, ignore=ignore)


def test_no_source_string_is_missing_from_the_po(tmp_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip(
            "xgettext/msgmerge (GNU gettext) are not installed; run scripts/install-system-packages"
        )
    copy = tmp_path / "src"
    _copy_sources(copy)
    fresh_locale = copy / "zeren" / "locale"
    settings.LOCALE_PATHS = [fresh_locale]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0)
    extracted = {
        e.key: e for e in messages(read_po(fresh_locale / "en" / "LC_MESSAGES" / "django.po"))
    }
    assert extracted, "makemessages found no strings at all"
    committed = {e.key for e in messages(read_po(PO))}
    missing = sorted(set(extracted) - committed)
    assert not missing, (
        "strings marked for translation but missing from zeren/locale/en/LC_MESSAGES/django.po; "
        "run makemessages, translate them and compilemessages (docs/i18n.md):\n"
        + "\n".join(f"  {key!r}" for key in missing)
    )


# -- the pages, in English ------------------------------------------------------------------


def _data_strings() -> list[str]:
    """Text that users or the official form wrote: shown as it is, in any language."""
    values: set[str] = {"简体中文", "Zeren 责任"}  # the language's own name; the brand
    for model, names in (
        (Enterprise, ["name", "contact_name"]),
        (Campaign, ["title"]),
        (SelfAssessment, ["business_scope", "enterprise_name", "contact_person", "pledge_lead"]),
        (Framework, ["title"]),
        (Area, ["name"]),
        (Topic, ["name"]),
        (Indicator, ["name", "description"]),
        (Level, ["label"]),
        (User, ["display_name"]),
        (Answer, ["remarks", "work_summary"]),
        (EvidenceItem, ["title", "note", "text"]),
        (StoredFile, ["original_name"]),
        (AnswerComment, ["body"]),
        (RevisionRequest, ["message"]),
    ):
        for row in model.objects.values_list(*names):
            values.update(v for v in row if isinstance(v, str) and v)
    for comments in RevisionRequest.objects.values_list("comments", flat=True):
        values.update(c.get("comment", "") for c in comments if c.get("comment"))
    return sorted(values, key=len, reverse=True)


def _chinese_chrome(content: str) -> list[str]:
    """Snippets of Chinese left on the page once data (names, form texts) is taken out."""
    text = html.unescape(re.sub(r"<script\b.*?</script>", " ", content, flags=re.S))
    for value in _data_strings():
        text = text.replace(value, " ")
    runs = re.finditer(f"(?:{HAN.pattern})+", text)
    return [" ".join(text[max(m.start() - 40, 0) : m.end() + 20].split()) for m in runs]


def assert_no_chinese_chrome(content: str) -> None:
    left = _chinese_chrome(content)
    assert not left, "Chinese UI text on an English page (wrap it or translate it):\n" + "\n".join(
        left
    )


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_login_page_in_english(client: Client) -> None:
    response = _english(client).get("/accounts/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    for word in ("Log in", "Username or email", "Password"):
        assert word in content
    for word in ("登录", "密码"):
        assert word not in content
    assert_no_chinese_chrome(content)

    wrong = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert "The username (or email) or password is incorrect." in wrong.content.decode()
    assert_no_chinese_chrome(wrong.content.decode())


@pytest.mark.django_db
def test_home_and_overview_in_english(
    client: Client, alice: User, assessment: SelfAssessment
) -> None:
    client.force_login(alice)
    _english(client)

    home = client.get("/")
    assert home.status_code == 200
    content = home.content.decode()
    for word in ("Workspace", "Log out", "Fill in the self-assessment", "Progress", "Deadline"):
        assert word in content, word
    for word in ("工作台", "退出登录", "填报进度", "截止时间"):
        assert word not in content, word
    assert_no_chinese_chrome(content)

    overview = client.get(f"/assessments/{assessment.pk}/")
    assert overview.status_code == 200
    content = overview.content.decode()
    for word in (
        "Completeness check",
        "Assign indicators",
        "Integrity pledge",
        "Enterprise name (company seal)",
        "Self rating",
        "Submit",
        "Log out",
    ):
        assert word in content, word
    for word in ("完整性检查", "分派指标", "诚信承诺书", "企业自评", "退出登录", "工作台"):
        assert word not in content, word
    assert_no_chinese_chrome(content)

    check = client.get(f"/assessments/{assessment.pk}/check/", headers={"HX-Request": "true"})
    assert check.status_code == 200
    assert_no_chinese_chrome(check.content.decode())

    indicator = client.get(f"/assessments/{assessment.pk}/indicators/1/")
    assert indicator.status_code == 200
    content = indicator.content.decode()
    for word in ("Remarks", "Work summary", "Upload evidence", "Evidence catalog for indicator 1"):
        assert word in content, word
    assert_no_chinese_chrome(content)


@pytest.mark.django_db
def test_chinese_is_the_default(client: Client, alice: User, assessment: SelfAssessment) -> None:
    client.force_login(alice)
    content = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert '<html lang="zh-CN">' in content
    for word in ("工作台", "完整性检查", "退出登录"):
        assert word in content
    for word in ("Workspace", "Completeness check", "Log out"):
        assert word not in content


@pytest.mark.django_db
def test_accept_language_header_selects_english(client: Client) -> None:
    content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content
    assert "Log in" in content.decode()
    assert "登录" not in content.decode()


def _submitted(assessment: SelfAssessment, alice: User) -> Submission:
    fill_completely(assessment, alice)
    return submissions.submit_self_assessment(assessment=assessment, by=alice)


@pytest.mark.django_db
def test_receipt_and_organizer_pages_in_english(
    client: Client, alice: User, olga: User, assessment: SelfAssessment
) -> None:
    submission = _submitted(assessment, alice)
    client.force_login(alice)
    _english(client)
    receipt = client.get(f"/assessments/submissions/{submission.pk}/receipt/")
    content = receipt.content.decode()
    for word in ("Receipt", "Unified social credit code", "Beijing time", "Print"):
        assert word in content, word
    assert_no_chinese_chrome(content)
    assert_no_chinese_chrome(client.get(f"/assessments/{assessment.pk}/diff/").content.decode())

    client.force_login(olga)
    campaign = client.get(f"/organizer/campaigns/{assessment.campaign_id}/").content.decode()
    assert "Latest submission" in campaign
    assert_no_chinese_chrome(campaign)
    review = client.get(f"/organizer/submissions/{submission.pk}/").content.decode()
    for word in ("Return for revision", "Accept", "Revision comment", "Activity log"):
        assert word in review, word
    assert_no_chinese_chrome(review)


@pytest.mark.django_db
def test_submission_date_on_the_cover_in_english(
    client: Client, alice: User, assessment: SelfAssessment
) -> None:
    _submitted(assessment, alice)
    client.force_login(alice)
    _english(client)
    assert_no_chinese_chrome(client.get(f"/assessments/{assessment.pk}/").content.decode())
