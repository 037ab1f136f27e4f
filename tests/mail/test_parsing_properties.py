"""Property tests: whatever the bytes, the parser returns a result, quickly."""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepwell.mail.parsing import ParsedMail, extract_reply, parse_message, to_json_dict

from . import corpus

# Generous for a loaded CI machine; typical mails take well under a millisecond.
SECONDS_PER_MAIL = 1.0
ENDLESS_NESTING_SECONDS = 5.0

_FAST = settings(
    max_examples=150, deadline=SECONDS_PER_MAIL * 1000, suppress_health_check=[HealthCheck.too_slow]
)


def _check(parsed: ParsedMail) -> None:
    assert isinstance(parsed, ParsedMail)
    assert parsed.content_type in ("text/plain", "text/html")
    assert not any(d.startswith("unparseable mail") for d in parsed.defects), parsed.defects
    assert all(a.size == len(a.payload) for a in parsed.attachments)
    to_json_dict(parsed)


def _timed_parse(raw: bytes) -> ParsedMail:
    started = time.perf_counter()
    parsed = parse_message(raw)
    assert time.perf_counter() - started < SECONDS_PER_MAIL
    return parsed


@_FAST
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(raw: bytes) -> None:
    _check(_timed_parse(raw))


_FRAGMENTS = [
    b"From: =?utf-8?B?w6Q=?= <a@example.com>\n",
    b"To: undisclosed-recipients:;\n",
    b"Subject: =?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=\n",
    b"Subject: \xff\xfe broken\n",
    b"Date: Mon, 2 Apr 2012 18:22:10 +0400\n",
    b"Content-Type: multipart/mixed; boundary=x\n",
    b"Content-Type: multipart/alternative; boundary=x\n",
    b"Content-Type: multipart/related; boundary=y\n",
    b"Content-Type: message/rfc822\n",
    b"Content-Type: text/html; charset=utf-8\n",
    b"Content-Type: text/plain; charset=gb2312\n",
    b"Content-Type: text/plain; charset*=utf-8''%E2\n",
    b"Content-Type: application/pdf; name*0*=utf-8''a%C3; name*1=b\n",
    b'Content-Disposition: attachment; filename="=?utf-8?Q?x?="\n',
    b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: quoted-printable\n",
    b"Content-Transfer-Encoding: x-uuencode\n",
    b"Content-ID: <cid@x>\n",
    b"Auto-Submitted: auto-replied\n",
    b"\n",
    b"\r\n",
    b"--x\n",
    b"--x--\n",
    b"--y\n",
    b"begin 644 f.txt\n,2&5L;&\\@6F%M;6%D\n`\nend\n",
    b'<blockquote>quoted<blockquote>deeper</blockquote></blockquote><img src="cid:cid@x">\n',
    b'<html><body><div class="gmail_quote">On Mon, Bob wrote:\n',
    b"On Mon, Jan 6, 2025 at 10:00 AM Bob <b@x.org> wrote:\n",
    b"> quoted line\n",
    b"-- \nsignature\n",
    b"SGVsbG8gd29ybGQ=\n",
    b"=C3=A4=\n",
    b"plain text line\n",
]


@_FAST
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_mail_shaped_input(fragments: list[bytes]) -> None:
    _check(_timed_parse(b"".join(fragments)))


@lru_cache(maxsize=1)
def _corpus_sample() -> tuple[Path, ...]:
    files = [p for p in corpus.mail_files() if p.stat().st_size <= 200_000]
    return tuple(files)


_MUTATION = st.tuples(
    st.sampled_from(["flip", "truncate", "duplicate", "delete", "insert"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=2000),
    st.binary(min_size=1, max_size=64),
)


def _mutate(raw: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    data = bytearray(raw)
    for kind, where, length, extra in mutations:
        if not data:
            break
        at = int(where * (len(data) - 1))
        if kind == "flip":
            data[at] ^= 0xFF
        elif kind == "truncate":
            del data[at:]
        elif kind == "duplicate":
            data[at:at] = data[at : at + length]
        elif kind == "delete":
            del data[at : at + length]
        else:
            data[at:at] = extra
    return bytes(data)


@pytest.mark.skipif(not corpus.available(), reason=corpus.SKIP_REASON)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.lists(_MUTATION, min_size=1, max_size=8))
def test_mutated_corpus_mails(
    data: st.DataObject, mutations: list[tuple[str, float, int, bytes]]
) -> None:
    path = data.draw(st.sampled_from(_corpus_sample()), label="mail")
    _check(_timed_parse(_mutate(path.read_bytes(), mutations)))


@pytest.mark.skipif(not corpus.available(), reason=corpus.SKIP_REASON)
def test_flanker_endless_nesting_is_bounded() -> None:
    raw = (corpus.CORPUS / "flanker" / "enclosed-endless.eml").read_bytes()
    started = time.perf_counter()
    parsed = parse_message(raw)
    assert time.perf_counter() - started < ENDLESS_NESTING_SECONDS
    _check(parsed)


@pytest.mark.parametrize("depth", [50, 2000])
def test_synthetic_deep_nesting_is_bounded(depth: int) -> None:
    parts = [f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(depth)]
    raw = ("".join(parts) + "Content-Type: text/plain\n\ninnermost\n").encode()
    started = time.perf_counter()
    _check(parse_message(raw))
    assert time.perf_counter() - started < ENDLESS_NESTING_SECONDS


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: " + b" " * 200_000 + b"x\n\n" + b"\t" * 100_000,
        b"From: " + b"a" * 100_000 + b"<\n\n",
        b"Content-Type: text/plain\n\n" + (b" " * 5000 + b"\n") * 200,
        b"Content-Type: text/plain\n\n" + b"begin 644 x\n" * 5000,
        b"Content-Type: text/html\n\n" + b"<script" * 50_000,
        b"Content-Type: text/plain\n\n" + b"On Mon, 1 Jan 2020 <a@b.c>\n" * 3000,
        b"Subject: " + b"=?utf-8?Q?" * 20_000 + b"\n\nx",
    ],
    ids=[
        "spaces",
        "long-address",
        "blank-lines",
        "uu-begins",
        "html-tags",
        "markers",
        "encoded-words",
    ],
)
def test_hostile_shapes_stay_fast(raw: bytes) -> None:
    _check(_timed_parse(raw))


@settings(max_examples=150, deadline=SECONDS_PER_MAIL * 1000)
@given(st.text(alphabet=st.sampled_from(list("ab >-_:\n\t@.<On wrote 2020:\r")), max_size=800))
def test_reply_is_made_of_body_lines(text: str) -> None:
    reply = extract_reply(text)
    body_lines = {
        line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    }
    stripped = {line.strip() for line in body_lines}
    for line in reply.split("\n"):
        assert line.rstrip() in body_lines or line.strip() in stripped


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_parsing_is_deterministic(raw: bytes) -> None:
    assert parse_message(raw) == parse_message(raw)
