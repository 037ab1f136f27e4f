"""Unit tests of the inbound mail parser on small hand-written mails."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from keepwell.mail.parsing import (
    ParsedMail,
    extract_reply,
    parse_message,
    rewrite_cid_links,
    sanitize_html,
    to_json_dict,
)


def mail(*headers: str, body: bytes | str = b"", crlf: bool = False) -> bytes:
    """Build raw mail bytes from header lines and a body."""
    raw_body = body.encode() if isinstance(body, str) else body
    head = "\n".join(headers).encode("utf-8")
    data = head + b"\n\n" + raw_body
    return data.replace(b"\n", b"\r\n") if crlf else data


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_subject", "expected"),
    [
        ("plain subject", "plain subject"),
        ("=?utf-8?Q?Gr=C3=BC=C3=9Fe_aus_Berlin?=", "Grüße aus Berlin"),
        ("=?ISO-8859-1?q?Priorit=E4t?=", "Priorität"),
        ("=?utf-8?B?w4RyZ2VyIG1pdCBkZXIgUmVjaG51bmc=?=", "Ärger mit der Rechnung"),
        ("=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab"),  # whitespace between words is dropped
        ("Re: =?utf-8?Q?caf=C3=A9?= now", "Re: café now"),
        # a multi-byte character split over two encoded words
        ("=?utf-8?B?w6Q=?= =?utf-8?B?w7Y=?=", "äö"),
        ("=?utf-8?B?5pel5pys?==?utf-8?B?6Kqe?=", "日本語"),
        ("=?utf-8?Q?broken", "=?utf-8?Q?broken"),  # unterminated: kept as is
        ("=?utf-8?B?w6Q?=", "ä"),  # missing base64 padding
        ("=?x-unknown-charset?Q?abc?=", "abc"),
        ("=?utf-8*de?Q?Hallo?=", "Hallo"),  # RFC 2231 language suffix
        ("=?windows-1258?Q?Vi=EAt_=D0=F4ng?=", "Viêt Đông"),
        ("=?GB2312?B?1tDOxA==?=", "中文"),
        ("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語"),
        ("  padded subject   ", "padded subject"),
        ("folded\n subject", "folded subject"),
        ("", ""),
    ],
)
def test_subject_decoding(raw_subject: str, expected: str) -> None:
    parsed = parse_message(mail(f"Subject: {raw_subject}", body="x"))
    assert parsed.subject == expected


def test_undeclared_8bit_headers_are_decoded() -> None:
    raw = b"From: J\xc3\xbcrgen <j@example.com>\nSubject: Gr\xfc\xdfe\n\nbody\n"
    parsed = parse_message(raw)
    assert parsed.from_display_name == "Jürgen"
    assert parsed.subject == "Grüße"


@pytest.mark.parametrize(
    ("from_value", "email", "name", "formatted"),
    [
        (
            "Jane Doe <jane@example.com>",
            "jane@example.com",
            "Jane Doe",
            "Jane Doe <jane@example.com>",
        ),
        (
            '"Doe, Jane" <jane@example.com>',
            "jane@example.com",
            "Doe, Jane",
            '"Doe, Jane" <jane@example.com>',
        ),
        ("<jane@example.com>", "jane@example.com", "", "jane@example.com"),
        ("jane@example.com", "jane@example.com", "", "jane@example.com"),
        (
            "jane@example.com (Jane Doe)",
            "jane@example.com",
            "Jane Doe",
            "jane@example.com (Jane Doe)",
        ),
        (
            "=?utf-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.com>",
            "jm@example.com",
            "Jürgen Müller",
            '"Jürgen Müller" <jm@example.com>',
        ),
        (
            '"=?utf-8?Q?J=C3=BCrgen?=" <jm@example.com>',
            "jm@example.com",
            "Jürgen",
            '"Jürgen" <jm@example.com>',
        ),
        ("'Jane' <jane@example.com>", "jane@example.com", "Jane", "'Jane' <jane@example.com>"),
        (
            "MAILER-DAEMON (Mail Delivery System) <postmaster@example.com>",
            "postmaster@example.com",
            "MAILER-DAEMON",
            "MAILER-DAEMON <postmaster@example.com> (Mail Delivery System)",
        ),
        ("undisclosed-recipients:;", "", "", "undisclosed-recipients:;"),
    ],
)
def test_sender(from_value: str, email: str, name: str, formatted: str) -> None:
    parsed = parse_message(mail(f"From: {from_value}", body="x"))
    assert parsed.from_email == email
    assert parsed.from_display_name == name
    assert parsed.from_header == formatted


def test_sender_falls_back_to_reply_to_and_return_path() -> None:
    parsed = parse_message(mail("Reply-To: <help@example.com>", body="x"))
    assert parsed.from_email == "help@example.com"
    assert parsed.from_header == ""
    parsed = parse_message(mail("From: nobody", "Return-Path: <bounce@example.com>", body="x"))
    assert parsed.from_email == "bounce@example.com"


def test_recipient_lists() -> None:
    parsed = parse_message(
        mail(
            'To: "Support, Team" <Support@Example.COM>, bob@example.com',
            "To: carol@example.com",
            "Cc: =?utf-8?Q?D=C3=B6rte?= <doerte@example.com>, bob@example.com",
            "Reply-To: Reply <reply@example.com>",
            body="x",
        )
    )
    assert parsed.to_addresses == ["support@example.com", "bob@example.com", "carol@example.com"]
    assert parsed.cc_addresses == ["doerte@example.com", "bob@example.com"]
    assert parsed.to == '"Support, Team" <Support@Example.COM>, bob@example.com, carol@example.com'
    assert parsed.cc == '"Dörte" <doerte@example.com>, bob@example.com'
    assert parsed.reply_to == "Reply <reply@example.com>"
    assert parsed.reply_to_addresses == ["reply@example.com"]


def test_message_ids_have_no_angle_brackets() -> None:
    parsed = parse_message(
        mail(
            "Message-ID: <abc@example.com>",
            "In-Reply-To: <parent@example.com> <other@example.com>",
            "References: <root@example.com>\n <parent@example.com> <root@example.com>",
            body="x",
        )
    )
    assert parsed.message_id == "abc@example.com"
    assert parsed.in_reply_to == "parent@example.com"
    assert parsed.references == ["root@example.com", "parent@example.com"]


def test_message_id_without_brackets_is_kept() -> None:
    parsed = parse_message(mail("Message-ID: abc@example.com", body="x"))
    assert parsed.message_id == "abc@example.com"
    assert parse_message(mail("Subject: x", body="x")).message_id is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Mon, 2 Apr 2012 18:22:10 +0400",
            datetime(2012, 4, 2, 18, 22, 10, tzinfo=timezone(timedelta(hours=4))),
        ),
        ("Mon, 2 Apr 2012 18:22:10 -0000", datetime(2012, 4, 2, 18, 22, 10, tzinfo=UTC)),
        ("2 Apr 2012 18:22:10 GMT", datetime(2012, 4, 2, 18, 22, 10, tzinfo=UTC)),
        ("Fri,  6 Jan 2017 19:23:41 +0100 (CET)", datetime(2017, 1, 6, 18, 23, 41, tzinfo=UTC)),
        ("yesterday at noon", None),
        ("Mon, 2 Apr 99999 18:22:10 +0400", None),
    ],
)
def test_date(value: str, expected: datetime | None) -> None:
    parsed = parse_message(mail(f"Date: {value}", body="x"))
    assert parsed.date == expected
    if parsed.date is not None:
        assert parsed.date.tzinfo is not None
    else:
        assert "invalid Date header" in parsed.defects


def test_header_lookup_and_reference_header() -> None:
    parsed = parse_message(
        mail(
            "X-Keepwell-Ref: T-1234 ", "X-Multi: one", "x-multi: two", "Subject: =?utf-8?Q?=C3=A4?="
        )
    )
    assert parsed.x_keepwell_ref == "T-1234"
    assert parsed.header("X-KEEPWELL-REF") == "T-1234"
    assert parsed.header_all("X-Multi") == ["one", "two"]
    assert parsed.header("subject") == "ä"
    assert parsed.header("missing") is None


# --- bodies and charsets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("charset", "payload", "expected"),
    [
        ("utf-8", "Grüße".encode(), "Grüße"),
        ("iso-8859-1", "Grüße".encode("latin-1"), "Grüße"),
        ("iso-8859-1", "smart “quotes”".encode("cp1252"), "smart “quotes”"),  # cp1252 superset
        ("iso-8859-1", "Grüße".encode(), "Grüße"),  # misdeclared: it is UTF-8
        ("windows-1258", "Viêt Nam, Đông".encode("cp1258"), "Viêt Nam, Đông"),
        ("gb2312", "中文邮件".encode("gb2312"), "中文邮件"),
        ("iso-2022-jp", "日本語のメール".encode("iso2022_jp"), "日本語のメール"),
        ("iso-2022-jp", "日本語".encode("cp932"), "日本語"),  # Shift_JIS sent as ISO-2022-JP
        ("shift_jis", "日本語".encode("cp932"), "日本語"),
        ("ks_c_5601-1987", "한국어".encode("cp949"), "한국어"),
        ("unknown-8bit", "Grüße".encode(), "Grüße"),
        ("x-no-such-charset", "Grüße".encode(), "Grüße"),
        (None, "Grüße".encode(), "Grüße"),  # undeclared 8-bit
        ("utf-8", b"Caf\xc3\xa9 and caf\xe9", "Café and café"),  # UTF-8 mixed with Latin-1
        ("utf-7", b"+AOQ-", "+AOQ-"),  # UTF-7 is refused (script injection vector)
    ],
)
def test_text_charsets(charset: str | None, payload: bytes, expected: str) -> None:
    content_type = f"text/plain; charset={charset}" if charset else "text/plain"
    raw = mail(f"Content-Type: {content_type}", "Content-Transfer-Encoding: 8bit", body=payload)
    parsed = parse_message(raw)
    assert parsed.body_text == expected
    assert parsed.content_type == "text/plain"


def test_long_latin1_text_without_charset_is_detected() -> None:
    text = "Sehr geehrte Damen und Herren, über die Größe der Äpfel lässt sich streiten. " * 3
    parsed = parse_message(mail("Subject: x", body=text.encode("latin-1")))
    assert parsed.body_text == text


@pytest.mark.parametrize(
    ("cte", "encoded", "expected"),
    [
        ("quoted-printable", "Gr=C3=BC=C3=9Fe=\n aus Berlin", "Grüße aus Berlin"),
        ("base64", b64("Grüße".encode()), "Grüße"),
        ("base64", b64("Grüße".encode())[:-2], "Grüße"),  # padding lost
        ("BASE64 ", b64(b"hello"), "hello"),
        ("8bit", "Grüße", "Grüße"),
        ("x-unknown", "as is", "as is"),
    ],
)
def test_transfer_encodings(cte: str, encoded: str, expected: str) -> None:
    raw = mail(
        "Content-Type: text/plain; charset=utf-8", f"Content-Transfer-Encoding: {cte}", body=encoded
    )
    assert parse_message(raw).body_text == expected


def test_crlf_becomes_lf_and_text_is_not_stripped() -> None:
    parsed = parse_message(mail("Subject: x", body="  line one\n\nline two\n", crlf=True))
    assert parsed.body_text == "  line one\n\nline two\n"


ALTERNATIVE = mail(
    "From: a@example.com",
    "Content-Type: multipart/alternative; boundary=b1",
    body="""--b1
Content-Type: text/plain; charset=utf-8

Hello *plain*
--b1
Content-Type: text/html; charset=utf-8

<html><head><title>t</title><style>p{}</style></head><body><p onclick="x()">Hello <b>html</b>
<script>alert(1)</script><a href="javascript:alert(1)">link</a></p></body></html>
--b1--
""",
)


def test_alternative_keeps_plain_text_and_sanitised_html() -> None:
    parsed = parse_message(ALTERNATIVE)
    assert parsed.content_type == "text/html"
    assert parsed.body_text == "Hello *plain*"
    assert parsed.body_html is not None
    assert "<b>html</b>" in parsed.body_html
    for unsafe in ("script", "onclick", "javascript", "alert", "<title", "p{}"):
        assert unsafe not in parsed.body_html
    assert parsed.reply_text == "Hello *plain*"


def test_empty_text_alternative_takes_text_from_html() -> None:
    raw = mail(
        "Content-Type: multipart/alternative; boundary=b",
        body="--b\nContent-Type: text/plain\n\n \n--b\nContent-Type: text/html\n\n"
        "<p>real content</p>\n--b--\n",
    )
    parsed = parse_message(raw)
    assert parsed.body_text.strip() == "real content"
    assert parsed.reply_text == "real content"


def test_html_only_mail_gets_text_from_inscriptis() -> None:
    parsed = parse_message(
        mail(
            "Content-Type: text/html; charset=utf-8",
            body="<div>Hi there,</div><p>first&nbsp;line</p><ul><li>one</li><li>two</li></ul>",
        )
    )
    assert parsed.content_type == "text/html"
    assert parsed.body_text.split() == ["Hi", "there,", "first", "line", "*", "one", "*", "two"]


def test_html_charset_from_meta_tag() -> None:
    html = '<meta charset="windows-1252"><p>Grüße “quoted”</p>'.encode("cp1252")
    parsed = parse_message(mail("Content-Type: text/html", body=html))
    assert "Grüße “quoted”" in parsed.body_text


RELATED = mail(
    "Content-Type: multipart/related; boundary=r1",
    body=f"""--r1
Content-Type: text/html; charset=utf-8

<p>Logo:</p><img src="cid:logo@example.com" alt="logo">
--r1
Content-Type: image/png; name="logo.png"
Content-ID: <logo@example.com>
Content-Transfer-Encoding: base64

{b64(b"PNGDATA")}
--r1--
""",
)


def test_related_inline_image_keeps_cid_link() -> None:
    parsed = parse_message(RELATED)
    (image,) = parsed.attachments
    assert image.filename == "logo.png"
    assert image.content_type == "image/png"
    assert image.content_id == "logo@example.com"
    assert image.inline is True
    assert image.payload == b"PNGDATA"
    assert image.size == 7
    assert image.sha256 == hashlib.sha256(b"PNGDATA").hexdigest()
    assert parsed.body_html is not None
    assert 'src="cid:logo@example.com"' in parsed.body_html


@pytest.mark.parametrize(
    ("html", "mapping", "expected"),
    [
        ('<img src="cid:a@b">', {"a@b": "/files/1"}, '<img src="/files/1">'),
        ("<img src='cid:a@b'>", {"<a@b>": "/files/1"}, '<img src="/files/1">'),
        ('<img src="cid:a%40b">', {"a@b": "/f?x=1&y=2"}, '<img src="/f?x=1&amp;y=2">'),
        ('<img src="CID:a@b">', {"a@b": "/f"}, '<img src="/f">'),
        ('<img src="cid:unknown">', {"a@b": "/f"}, '<img src="cid:unknown">'),
        ("<p>cid:a@b is text</p>", {"a@b": "/f"}, "<p>cid:a@b is text</p>"),
    ],
)
def test_rewrite_cid_links(html: str, mapping: dict[str, str], expected: str) -> None:
    assert rewrite_cid_links(html, mapping) == expected


def test_sanitize_html_allows_cid_but_not_data_or_script_urls() -> None:
    cleaned = sanitize_html(
        '<img src="cid:x"><img src="data:text/html,<script>1</script>"><a href="vbscript:x">a</a>'
    )
    assert 'src="cid:x"' in cleaned
    assert "data:" not in cleaned
    assert "vbscript" not in cleaned


def test_plain_text_with_inline_image_becomes_html() -> None:
    raw = mail(
        "Content-Type: multipart/mixed; boundary=m",
        body=f"""--m
Content-Type: text/plain; charset=utf-8

See the screenshot:
--m
Content-Type: image/png; name=shot.png
Content-Disposition: inline; filename=shot.png
Content-ID: <shot1>
Content-Transfer-Encoding: base64

{b64(b"IMG")}
--m
Content-Type: text/plain; charset=utf-8

Thanks
--m--
""",
    )
    parsed = parse_message(raw)
    assert parsed.content_type == "text/html"
    assert parsed.body_text == "See the screenshot:Thanks"
    assert parsed.body_html is not None
    assert parsed.body_html.index("screenshot") < parsed.body_html.index("cid:shot1")
    assert parsed.body_html.index("cid:shot1") < parsed.body_html.index("Thanks")


# --- attachments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disposition", "expected_name"),
    [
        ('attachment; filename="report.pdf"', "report.pdf"),
        ("attachment; filename*=utf-8''R%C3%A9sum%C3%A9.pdf", "Résumé.pdf"),
        ("attachment; filename*0*=utf-8''Gro%C3%9F; filename*1=e_Datei.pdf", "Große_Datei.pdf"),
        ("attachment; filename*=iso-8859-1'de'%E4rger.pdf", "ärger.pdf"),
        ('attachment; filename="=?utf-8?Q?K=C3=BCche.pdf?="', "Küche.pdf"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\temp\\\\evil.exe"', "evil.exe"),
        ("attachment", "attachment.pdf"),
    ],
)
def test_attachment_filenames(disposition: str, expected_name: str) -> None:
    raw = mail(
        "Content-Type: multipart/mixed; boundary=m",
        body=f"""--m
Content-Type: text/plain

body
--m
Content-Type: application/pdf
Content-Disposition: {disposition}
Content-Transfer-Encoding: base64

{b64(b"%PDF-1.4")}
--m--
""",
    )
    parsed = parse_message(raw)
    (attachment,) = parsed.attachments
    assert attachment.filename == expected_name
    assert attachment.payload == b"%PDF-1.4"
    assert attachment.inline is False
    assert parsed.body_text == "body"


NESTED = mail(
    "Subject: Fwd: order",
    "Content-Type: multipart/mixed; boundary=outer",
    body="""--outer
Content-Type: text/plain

See the attached mail.
--outer
Content-Type: message/rfc822

From: shop@example.com
Subject: =?utf-8?Q?Bestellung_f=C3=BCr_Sie?=
Content-Type: text/plain

Inner text that must not become the body.
--outer--
""",
)


def test_attached_mail_becomes_eml_attachment_named_after_its_subject() -> None:
    parsed = parse_message(NESTED)
    assert parsed.body_text == "See the attached mail."
    (attachment,) = parsed.attachments
    assert attachment.filename == "Bestellung für Sie.eml"
    assert attachment.content_type == "message/rfc822"
    assert attachment.payload.startswith(b"From: shop@example.com\n")
    assert b"Inner text that must not become the body." in attachment.payload


def test_uuencoded_part_and_uuencoded_text_body() -> None:
    encoded = "begin 644 hello.txt\n,2&5L;&\\@6F%M;6%D\n`\nend\n"
    raw = mail(
        "Content-Type: multipart/mixed; boundary=m",
        body="""--m
Content-Type: text/plain

Attached:
--m
Content-Type: application/octet-stream; name="data.txt"
Content-Transfer-Encoding: x-uuencode

,2&5L;&\\@6F%M;6%D
`
--m--
""",
    )
    parsed = parse_message(raw)
    assert [a.payload for a in parsed.attachments] == [b"Hello Zammad"]
    assert parsed.attachments[0].filename == "data.txt"

    parsed = parse_message(mail("Subject: report", body=f"Here it is:\n{encoded}"))
    assert [(a.filename, a.payload) for a in parsed.attachments] == [("hello.txt", b"Hello Zammad")]
    assert parsed.body_text.startswith("Here it is:\nbegin 644 hello.txt")


def test_encrypted_and_signed_mail_keep_their_parts_as_attachments() -> None:
    pgp = parse_message(
        mail(
            'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=e',
            body="""--e
Content-Type: application/pgp-encrypted

Version: 1
--e
Content-Type: application/octet-stream; name="encrypted.asc"

-----BEGIN PGP MESSAGE-----
hQEMA...
-----END PGP MESSAGE-----
--e--
""",
        )
    )
    assert pgp.body_text == ""
    assert [a.content_type for a in pgp.attachments] == [
        "application/pgp-encrypted",
        "application/octet-stream",
    ]
    assert pgp.attachments[1].filename == "encrypted.asc"

    smime = parse_message(
        mail(
            'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
            "Content-Transfer-Encoding: base64",
            body=b64(b"\x30\x82encrypted"),
        )
    )
    assert [(a.filename, a.payload) for a in smime.attachments] == [
        ("smime.p7m", b"\x30\x82encrypted")
    ]

    signed = parse_message(
        mail(
            'Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary=s',
            body="""--s
Content-Type: text/plain

signed text
--s
Content-Type: application/pgp-signature

-----BEGIN PGP SIGNATURE-----
-----END PGP SIGNATURE-----
--s--
""",
        )
    )
    assert signed.body_text == "signed text"
    assert [a.filename for a in signed.attachments] == ["signature.asc"]


def test_text_attachment_is_not_body() -> None:
    raw = mail(
        "Content-Type: multipart/mixed; boundary=m",
        body="""--m
Content-Type: text/plain

the body
--m
Content-Type: text/plain; name="notes.txt"
Content-Disposition: attachment

the notes
--m
Content-Type: text/calendar; method=REQUEST

BEGIN:VCALENDAR
--m--
""",
    )
    parsed = parse_message(raw)
    assert parsed.body_text == "the body"
    assert [(a.filename, a.payload) for a in parsed.attachments] == [
        ("notes.txt", b"the notes"),
        ("attachment.ics", b"BEGIN:VCALENDAR"),
    ]


# --- broken structure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\n\n\n",
        b"\x00\xff\xfe garbage \x80\x81",
        b"Subject: only headers",
        b"Subject: only headers\n",
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\n",
        b"Content-Type: multipart/mixed\n\nno boundary at all",
        b"Content-Type: text/plain; charset=\x00bad\n\n\xff\xfe",
        b"Content-Type: message/rfc822\n\n",
        b"Content-Transfer-Encoding: base64\n\n!!!not base64!!!",
        b'Content-Type: multipart/alternative; boundary=""\n\n--\n--\n',
        b"From: =?utf-8?B?\xff\xff?= <a@b>\nSubject: =?\xff?Q?x?=\n\nx",
        "Subject: str input is accepted too\n\nbody",
        bytearray(b"Subject: bytearray\n\nbody"),
    ],
)
def test_never_raises(raw: bytes) -> None:
    parsed = parse_message(raw)
    assert isinstance(parsed, ParsedMail)
    assert parsed.content_type in ("text/plain", "text/html")
    assert not any(d.startswith("unparseable") for d in parsed.defects)


def test_no_body() -> None:
    parsed = parse_message(b"From: a@example.com\nSubject: empty\n")
    assert parsed.subject == "empty"
    assert parsed.body_text == ""
    assert parsed.body_html is None
    assert parsed.reply_text == ""
    assert parsed.attachments == []


def test_header_lines_without_indentation_are_recovered() -> None:
    raw = (
        b"X-Tracker: AAAA\nBBBBunindented continuation\n"
        b"From: a@example.com\nSubject: kept\n\nbody\n"
    )
    parsed = parse_message(raw)
    assert parsed.from_email == "a@example.com"
    assert parsed.subject == "kept"
    assert parsed.body_text == "body\n"


def test_junk_before_headers_is_skipped() -> None:
    parsed = parse_message(
        b"---- Original email message ----\nFrom: a@example.com\nSubject: s\n\nbody"
    )
    assert (parsed.from_email, parsed.subject, parsed.body_text) == ("a@example.com", "s", "body")


def test_missing_boundary_parameter_is_recovered() -> None:
    raw = b"""Content-Type: multipart/alternative

--abc
Content-Type: text/plain

recovered text
--abc
Content-Type: text/html

<b>recovered html</b>
--abc--
"""
    parsed = parse_message(raw)
    assert parsed.body_text == "recovered text"
    assert any("repaired" in d for d in parsed.defects)


def test_truncated_multipart_keeps_last_line_break() -> None:
    raw = (
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nlast line\n"
    )
    assert parse_message(raw).body_text == "last line\n"


def test_deep_nesting_is_bounded() -> None:
    depth = 400
    head = "".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(depth)
    )
    tail = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    parsed = parse_message((head + "Content-Type: text/plain\n\ndeep" + tail).encode())
    assert any("nesting" in d for d in parsed.defects)


# --- machine-generated mail ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "auto_reply", "bounce", "bulk"),
    [
        (["Subject: Question about my order"], False, False, False),
        (["Auto-Submitted: auto-replied"], True, False, False),
        (["Auto-Submitted: auto-generated; owner-email=x@example.com"], True, False, False),
        (["Auto-Submitted: no"], False, False, False),
        (["X-Autoreply: yes"], True, False, False),
        (["X-Autorespond: yes"], True, False, False),
        (["Precedence: auto_reply"], True, False, False),
        (["Precedence: bulk"], False, False, True),
        (["Precedence: junk"], False, False, True),
        (["Precedence: list"], False, False, True),
        (["List-Id: <news.example.com>"], False, False, True),
        (["List-Unsubscribe: <mailto:leave@example.com>"], False, False, True),
        (["Subject: Out of Office: Re: invoice"], True, False, False),
        (["Subject: Automatic reply: invoice"], True, False, False),
        (["Subject: AW: Abwesenheitsnotiz: Rechnung"], True, False, False),
        (["Subject: Autoreply"], True, False, False),
        (["Subject: [Out of office] back on Monday"], True, False, False),
        (["From: MAILER-DAEMON@example.com", "Subject: Undelivered Mail"], True, True, False),
        (["From: Mail Delivery System <postmaster@example.com>"], True, True, False),
        (["Return-Path: <>", "Subject: Delivery Status Notification (Failure)"], True, True, False),
        (["Subject: Undeliverable: invoice"], False, False, False),  # needs a null sender
    ],
)
def test_machine_generated_mail(
    headers: list[str], auto_reply: bool, bounce: bool, bulk: bool
) -> None:
    parsed = parse_message(mail(*headers, body="x"))
    assert (parsed.is_auto_reply, parsed.is_bounce, parsed.is_bulk) == (auto_reply, bounce, bulk)


def test_auto_submitted_value_is_exposed() -> None:
    assert (
        parse_message(mail("Auto-Submitted: auto-replied ", body="x")).auto_submitted
        == "auto-replied"
    )
    assert parse_message(mail("Subject: x", body="x")).auto_submitted is None


def test_delivery_status_notification_is_a_bounce() -> None:
    raw = mail(
        "From: Mail Delivery <mail@example.com>",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        body="""--r
Content-Type: text/plain

Your message could not be delivered.
--r
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; gone@example.com
Action: failed
Status: 5.1.1
--r--
""",
    )
    parsed = parse_message(raw)
    assert parsed.is_bounce and parsed.is_auto_reply
    assert parsed.body_text == "Your message could not be delivered."
    (report,) = parsed.attachments
    assert report.content_type == "message/delivery-status"
    assert b"Status: 5.1.1" in report.payload


def test_read_receipt_is_automatic_but_not_a_bounce() -> None:
    raw = mail(
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"',
        body="--r\nContent-Type: text/plain\n\nRead.\n--r--\n",
    )
    parsed = parse_message(raw)
    assert parsed.is_auto_reply and not parsed.is_bounce


# --- reply text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Just text.", "Just text."),
        (
            "Thanks!\n\nOn Mon, Jan 6, 2025 at 10:00 AM Bob <bob@example.com> wrote:\n> old\n",
            "Thanks!",
        ),
        ("Danke!\n\nAm 06.01.2025 um 10:00 schrieb Bob <bob@example.com>:\n> alt\n", "Danke!"),
        (
            "Merci\n\nLe lun. 6 janv. 2025 à 10:00, Bob <bob@example.com> a écrit :\n> ancien\n",
            "Merci",
        ),
        (
            "Gracias\n\nEl lun, 6 ene 2025 a las 10:00, Bob (<bob@example.com>) escribió:\n> x\n",
            "Gracias",
        ),
        ("Bedankt\n\nOp ma 6 jan. 2025 om 10:00 schreef Bob <b@example.com>:\n> x\n", "Bedankt"),
        (
            "Ok\n\n-----Original Message-----\nFrom: Bob\nSent: Mon\nTo: Alice\nSubject: x\n\nold",
            "Ok",
        ),
        ("Ok\n\nFrom: Bob <b@x.org>\nSent: Monday\nTo: Alice\nSubject: Re: x\n\nold text", "Ok"),
        ("Ok\n\nVon: Bob <b@x.org>\nGesendet: Montag\nAn: Alice\nBetreff: x\n\nalt", "Ok"),
        ("Ok\n\n> quoted only at the end\n> more", "Ok"),
        ("Ok\n\nSent from my iPhone", "Ok"),
        ("Ok\n\nVon meinem iPhone gesendet", "Ok"),
        ("Ok\n\n-- \nAlice\nCEO", "Ok"),
        (
            "Sent from my desk, is much easier then my mobile phone.",
            "Sent from my desk, is much easier then my mobile phone.",
        ),
        ("> only a quote", "> only a quote"),
        ("Indented:\n\n    code line\n  - item", "Indented:\n\n    code line\n  - item"),
        (
            "On Mon, Jan 6, 2025 at 10:00 AM Bob <b@example.com> wrote:\n> question?\n\nanswer",
            "answer",
        ),
        (
            "Hi,\n\nOn Mon, Jan 6, 2025, Bob <b@x.org> wrote:\n> one?\n\nyes\n\n> two?\n\nno\n",
            "Hi,\n\n> one?\n\nyes\n\n> two?\n\nno",
        ),
        (
            "Mail text\n\nOn this day\n\nI wrote something",
            "Mail text\n\nOn this day\n\nI wrote something",
        ),
    ],
)
def test_extract_reply(text: str, expected: str) -> None:
    assert extract_reply(text) == expected


@pytest.mark.parametrize(
    "attribution",
    [
        "On Tuesday, February 16, 2016 2:53 PM, Miguel <foo@bar.es> wrote:",
        "On Feb 16, 2016, at 14:53, Miguel <foo@bar.es> wrote:",
        "Am Di., 16. Feb. 2016 um 14:53 Uhr schrieb Miguel <foo@bar.es>:",
        "Le 16 nov. 2016 à 02:22, Erlend Heggen <meta@example.com> a écrit :",
        "El 16/02/2016, a las 14:53, Miguel <foo@bar.es> escribió:",
        "Il giorno 16 feb 2016, alle ore 14:53, Miguel <foo@bar.es> ha scritto:",
        "Em ter, 16 de fev de 2016 às 14:53, Miguel <foo@bar.es> escreveu:",
        "Op 16 feb. 2016 om 14:53 heeft Miguel <foo@bar.es> het volgende geschreven:",
        "Den 16 feb. 2016 kl. 14:53 skrev Miguel <foo@bar.es>:",
        "Miguel <foo@bar.es> kirjoitti 16.2.2016 kello 14.53:",
        "W dniu 16.02.2016 o 14:53, Miguel <foo@bar.es> pisze:",
        "Dne 16.2.2016 v 14:53 Miguel <foo@bar.es> napsal(a):",
        "Miguel <foo@bar.es> ezt írta (időpont: 2016. febr. 16., K, 14:53):",
        "Miguel <foo@bar.es>, 16 Şub 2016 Sal, 14:53 tarihinde şunu yazdı:",
        "Στις 16/2/2016 14:53, ο/η Miguel <foo@bar.es> έγραψε:",
        "16 февраля 2016 г., в 14:53, Miguel <foo@bar.es> написал(а):",
        "2016年2月16日(火) 14:53 Miguel <foo@bar.es>:",
        "Miguel <foo@bar.es> 于2016年2月16日周二 下午2:53写道：",
        "2016년 2월 16일 (화) 오후 2:53, Miguel <foo@bar.es>님이 작성:",
        "On Mon, Feb 1, 2016 at 6:32 PM, Jeff Atwood <info@example.org>\nwrote:",
        "Von: Foo <foo@bar.de>\nGesendet: Dienstag, 16. Februar 2016 14:53\nAn: Bar\nBetreff: Test",
        "发件人: xxx\n发送时间: 2016年2月16日 14:53\n收件人: yyy\n主题: test",
        "-----Ursprüngliche Nachricht-----\nVon: x",
        "-------- Message transféré --------",
        "Begin forwarded message:",
    ],
)
def test_attributions_in_many_languages(attribution: str) -> None:
    assert extract_reply(f"My answer.\n\n{attribution}\n\n> old text\n> more\n") == "My answer."


@pytest.mark.parametrize(
    "signature",
    [
        "Envoyé de mon iPhone",
        "Enviado do meu iPhone",
        "Enviado desde mi Samsung Galaxy",
        "Inviato da iPhone",
        "Gesendet von iPhone",
        "Von meinem Samsung Galaxy Smartphone gesendet.",
        "Verstuurd vanaf mijn iPhone",
        "Sendt fra min iPad",
        "Wysłane z iPhone'a",
        "Отправлено с iPhone",
        "Sent from Outlook",
        "Get Outlook for Android",
        "Sent from Mail for Windows",
        "Sent from my iPhone",
    ],
)
def test_mobile_signatures_are_dropped(signature: str) -> None:
    assert extract_reply(f"My answer.\n\n{signature}") == "My answer."


@pytest.mark.parametrize(
    ("sender", "body", "expected"),
    [
        ("Jane Doe <jane@example.com>", "Works now.\n\nThanks,\nJane", "Works now."),
        ('"Doe, Jane" <jane@example.com>', "Works now.\n\nJane Doe\nvia mobile", "Works now."),
        ("Jane Doe <jane@example.com>", "Works now.\n\nJane will call you.", None),
        ("Jane Doe <jane@example.com>", "Thanks,\nJane", None),  # nothing else to keep
        ("<jane@example.com>", "Works now.\n\nThanks,\nJane", None),  # no name known
    ],
)
def test_closing_with_the_senders_name_is_dropped(
    sender: str, body: str, expected: str | None
) -> None:
    parsed = parse_message(mail(f"From: {sender}", body=body))
    assert parsed.reply_text == (expected if expected is not None else body)


def test_pure_forward_gives_the_forwarded_text() -> None:
    text = (
        "---------- Forwarded message ---------\nFrom: Shop <shop@example.com>\n"
        "Date: Mon, Jan 6, 2025\nSubject: Your order\nTo: <me@example.com>\n\n\nOrder 42 shipped.\n"
    )
    assert extract_reply(text) == "Order 42 shipped."


def test_reply_text_of_html_only_mail_drops_blockquote() -> None:
    raw = mail(
        "Content-Type: text/html; charset=utf-8",
        body='<div>New answer</div><div class="gmail_quote">On Mon, Bob wrote:<blockquote>old'
        "</blockquote></div>",
    )
    parsed = parse_message(raw)
    assert parsed.reply_text == "New answer"
    assert "old" in parsed.body_text


# --- JSON ------------------------------------------------------------------------------------


def test_json_dict_has_exactly_the_documented_keys() -> None:
    data = to_json_dict(parse_message(RELATED))
    assert list(data) == [
        "from",
        "from_email",
        "from_display_name",
        "to",
        "cc",
        "reply_to",
        "subject",
        "date",
        "message_id",
        "in_reply_to",
        "references",
        "content_type",
        "body_text",
        "body_html",
        "reply_text",
        "attachments",
        "is_auto_reply",
        "is_bounce",
        "defects",
    ]
    assert list(data["attachments"][0]) == [
        "filename",
        "content_type",
        "size",
        "sha256",
        "content_id",
        "inline",
    ]


def test_json_dict_values() -> None:
    import json

    data = to_json_dict(parse_message(mail("Date: Mon, 2 Apr 2012 18:22:10 +0400", body="x")))
    assert data["date"] == "2012-04-02T18:22:10+04:00"
    assert data["body_html"] is None
    json.dumps(data)  # serialisable as is
