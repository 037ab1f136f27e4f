"""Loaders for the shared real-world mail corpus (read in place from ../shared, never copied)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "mail"
SKIP_REASON = (
    f"MAIL CORPUS MISSING: {CORPUS} does not exist, so the corpus tests did not run. "
    "Check out the shared corpus next to the repository to run them."
)

_WS = re.compile(r"\s+")


def available() -> bool:
    """Whether the shared corpus is present next to the repository."""
    return (CORPUS / "README.md").is_file()


def mail_files() -> list[Path]:
    """Every file of the corpus that is a mail (.eml, .box and the mail gem's bare fixtures)."""
    if not available():
        return []
    found = [p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".eml", ".box")]
    found += [
        p
        for p in (CORPUS / "mail-gem").rglob("*")
        if p.is_file() and not p.suffix and "LICENSE" not in p.name
    ]
    return sorted(found)


def short(path: Path) -> str:
    """A path relative to the corpus, for test ids and reports."""
    return str(path.relative_to(CORPUS))


# --- Zammad ---------------------------------------------------------------------------------


class _RubyYamlLoader(yaml.SafeLoader):
    """A safe loader that understands the two Ruby tags Psych writes into Zammad's files."""


def _ruby_hash(loader: yaml.SafeLoader, node: yaml.Node) -> dict[Any, Any]:
    assert isinstance(node, yaml.MappingNode)
    return loader.construct_mapping(node, deep=True)


def _ruby_binary(loader: yaml.SafeLoader, node: yaml.Node) -> bytes:
    assert isinstance(node, yaml.ScalarNode)
    return base64.b64decode(loader.construct_scalar(node))


_RubyYamlLoader.add_constructor("!ruby/hash:ActiveSupport::HashWithIndifferentAccess", _ruby_hash)
_RubyYamlLoader.add_constructor("!binary", _ruby_binary)


@dataclass(frozen=True)
class ZammadCase:
    """One Zammad mail with the parse result Zammad's spec expects."""

    name: str
    raw: bytes
    expected: dict[str, Any]


def zammad_cases() -> list[ZammadCase]:
    """The Zammad mails that have an expectation file."""
    folder = CORPUS / "zammad"
    if not folder.is_dir():
        return []
    cases = []
    for box in sorted(folder.glob("*.box")):
        yml = box.with_suffix(".yml")
        if yml.is_file():
            expected = yaml.load(yml.read_bytes(), Loader=_RubyYamlLoader)  # noqa: S506
            cases.append(ZammadCase(box.stem, box.read_bytes(), expected))
    return cases


def visible_text(html: str) -> str:
    """Visible text of HTML with all whitespace collapsed, for comparing two sanitisers."""
    from inscriptis import get_text

    html = re.sub(r'<span class="js-signatureMarker"></span>', "", html)
    return _WS.sub(" ", get_text(html)).strip()


def normalised_digests(data: bytes) -> set[str]:
    """MD5s of the data as is and with line endings and trailing whitespace normalised."""
    lf = data.replace(b"\r\n", b"\n")
    variants = {data, lf, lf.rstrip(), b"\n".join(line.rstrip() for line in lf.split(b"\n"))}
    variants |= {v.rstrip() for v in variants}
    return {hashlib.md5(v).hexdigest() for v in variants}  # noqa: S324 - as Zammad compares


# --- reply stripping ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyCase:
    """A reply-stripping fixture: a raw mail and a check of the parser's ``reply_text``."""

    suite: str
    name: str
    raw: bytes
    check: Callable[[str], bool]
    expected: str


def wrap_text(body: bytes) -> bytes:
    """Wrap a plain body into a minimal UTF-8 mail."""
    return (
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
    )


def wrap_html(body: bytes) -> bytes:
    """Wrap an HTML body into a minimal UTF-8 mail."""
    return (
        b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
    )


def _no_ws(text: str) -> str:
    return _WS.sub("", text)


def _talon_cases() -> Iterator[ReplyCase]:
    folder = CORPUS / "talon"
    expectations = json.loads((folder / "expected.json").read_text("utf-8"))
    for name, spec in expectations["standard_replies"].items():
        path = folder / "standard_replies" / name
        if not path.is_file():
            continue
        source = spec.get("from_file")
        expected = (
            (folder / "standard_replies" / source).read_text("utf-8").strip()
            if source
            else spec["expected_reply"]
        )
        yield ReplyCase("talon", name, path.read_bytes(), _equals(expected), expected)
    for name, spec in expectations["html_replies"].items():
        path = folder / "html_replies" / name
        if path.is_file():
            expected = spec["expected_text"]
            yield ReplyCase(
                "talon", name, wrap_html(path.read_bytes()), _same_ws(expected), expected
            )
    for name, spec in expectations["single"].items():
        path = folder / name
        if not path.is_file():
            continue
        if spec.get("input") == "html":
            expected = visible_text(spec["expected_html"])
            yield ReplyCase(
                "talon", name, wrap_html(path.read_bytes()), _same_ws(expected), expected
            )
        else:
            expected = "non-empty, without 'From'"
            yield ReplyCase("talon", name, path.read_bytes(), _answer_without_history, expected)


def _answer_without_history(reply: str) -> bool:
    return bool(reply.strip()) and "From" not in reply


def _talon_signature_cases() -> Iterator[ReplyCase]:
    """talon's signature set: the reply must be the body without the signature."""
    folder = CORPUS / "talon" / "signature" / "emails" / "stripped"
    for body_path in sorted(folder.glob("*_body")):
        stem = body_path.name.removesuffix("_body")
        signature_path = folder / f"{stem}_signature"
        sender_path = folder / f"{stem}_sender"
        if not (signature_path.is_file() and sender_path.is_file()):
            continue
        body = body_path.read_text("utf-8").strip()
        signature = signature_path.read_text("utf-8")
        expected = body[: len(body) - len(signature)].strip()
        sender = sender_path.read_text("utf-8").strip()
        from_line = (
            f"From: {sender}\r\n" if "@" in sender else f"From: {sender} <x@example.com>\r\n"
        )
        raw = from_line.encode() + wrap_text(body_path.read_bytes())
        yield ReplyCase("talon-signature", stem, raw, _equals_stripped(expected), expected)


def _equals(expected: str) -> Callable[[str], bool]:
    return lambda reply: reply == expected


def _equals_stripped(expected: str) -> Callable[[str], bool]:
    return lambda reply: reply.strip() == expected


def _same_ws(expected: str) -> Callable[[str], bool]:
    return lambda reply: _no_ws(reply) == _no_ws(expected)


def _contains(text: str) -> Callable[[str], bool]:
    return lambda reply: text in reply


def _matches(pattern: str) -> Callable[[str], bool]:
    return lambda reply: re.search(pattern, reply, re.M) is not None


def _fragment_check(spec: dict[str, Any]) -> tuple[Callable[[str], bool], str]:
    """Derive a reply_text check from email_reply_parser's per-fragment assertions.

    Visible fragments must be in the reply; hidden signature fragments must not. Hidden quoted
    fragments are not checked, as their patterns (e.g. "^> ") also fit visible quotes.
    """
    hidden = spec.get("hidden", [])
    quoted = spec.get("quoted", [])
    count = spec.get("count")
    rules: list[tuple[bool, Callable[[str], bool]]] = []
    for key, text in spec.get("equals", {}).items():
        index = int(key)
        is_hidden = index < len(hidden) and hidden[index]
        if text.strip():
            rules.append((not is_hidden, _contains(text.strip())))
    for key, patterns in spec.get("search", {}).items():
        index = int(key)
        is_hidden = index < len(hidden) and hidden[index]
        if is_hidden and index < len(quoted) and quoted[index]:
            continue
        for pattern in patterns:
            rules.append((not is_hidden, _matches(pattern)))

    def check(reply: str) -> bool:
        return all(rule(reply) == wanted for wanted, rule in rules)

    description = f"fragments (count={count}, hidden={hidden})"
    return check, description


def _erp_cases() -> Iterator[ReplyCase]:
    folder = CORPUS / "email_reply_parser"
    expectations = json.loads((folder / "expected.json").read_text("utf-8"))
    for name, spec in expectations.items():
        path = folder / "emails" / name
        if name.startswith("_") or not path.is_file() or "max_seconds" in spec:
            continue
        raw = wrap_text(path.read_bytes())
        if "parse_reply" in spec:
            expected = spec["parse_reply"]
            yield ReplyCase("email_reply_parser", name, raw, _equals(expected), expected)
        elif spec.get("fragments", {}).get("count") == 1 and not spec["fragments"].get("hidden"):
            expected = path.read_text("utf-8").strip()
            yield ReplyCase("email_reply_parser", name, raw, _equals(expected), expected)
        elif "hidden" in spec.get("fragments", {}):
            check, description = _fragment_check(spec["fragments"])
            yield ReplyCase("email_reply_parser", name, raw, check, description)
        elif "fragments" in spec:
            # Without hidden flags only the first fragment is known to be visible.
            first = {k: v for k, v in spec["fragments"].get("search", {}).items() if k == "0"}
            check, description = _fragment_check({"hidden": [False], "search": first})
            yield ReplyCase("email_reply_parser", name, raw, check, description)


def _trimmer_cases() -> Iterator[ReplyCase]:
    folder = CORPUS / "email_reply_trimmer"
    for path in sorted((folder / "emails").glob("*.txt")):
        trimmed = folder / "trimmed" / path.name
        if trimmed.is_file():
            expected = trimmed.read_text("utf-8").strip()
            yield ReplyCase(
                "email_reply_trimmer",
                path.name,
                wrap_text(path.read_bytes()),
                _equals_stripped(expected),
                expected,
            )


def reply_cases() -> list[ReplyCase]:
    """All reply-stripping fixtures that state an expected visible text."""
    if not available():
        return []
    return [*_talon_cases(), *_talon_signature_cases(), *_erp_cases(), *_trimmer_cases()]


def erp_speed_cases() -> list[tuple[Path, float]]:
    """email_reply_parser fixtures with a time limit in seconds."""
    folder = CORPUS / "email_reply_parser"
    if not folder.is_dir():
        return []
    expectations = json.loads((folder / "expected.json").read_text("utf-8"))
    return [
        (folder / "emails" / name, float(spec["max_seconds"]))
        for name, spec in expectations.items()
        if isinstance(spec, dict) and "max_seconds" in spec and (folder / "emails" / name).is_file()
    ]
