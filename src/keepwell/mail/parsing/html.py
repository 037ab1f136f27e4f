"""HTML bodies: sanitising, text rendering (with quoted blocks marked) and cid: links."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote

import nh3
from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

_URL_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES | {"cid"})
# Classes mail programs put on quoted history; kept so the reply can be told from the quote
# (and so a UI may fold the quote away).
_QUOTE_CLASSES = frozenset({"gmail_quote", "moz-cite-prefix", "yahoo_quoted"})
_ALLOWED_CLASSES = {"div": set(_QUOTE_CLASSES), "blockquote": {"gmail_quote"}}
_CONFIG = ParserConfig(css=CSS_PROFILES["strict"])
# Elements whose content is never visible mail text (nh3 keeps the text of dropped tags).
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "title",
    "head",
    "xml",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "applet",
    "frameset",
    "svg",
    "math",
    "select",
    "textarea",
    "button",
}

# Beyond this size HTML is rendered to text by a regular expression instead of a DOM walk
# (inscriptis needs some 30 µs per element).
MAX_DOM_CHARS = 1_000_000
MAX_DOM_TAGS = 20_000
# Deeper nesting of these (never implicitly closed) elements is treated as hostile.
MAX_NESTING = 2000
_NESTING_TAG = re.compile(
    r"<(/?)(?:div|span|blockquote|font|b|i|u|em|strong|a|center|section|article|table)\b", re.I
)

QUOTE_START = "\ufdd0"  # Unicode noncharacters: never part of real text
QUOTE_END = "\ufdd1"
_MARKERS = re.compile(f"[{QUOTE_START}{QUOTE_END}]")
# Linear on purpose: this path exists for inputs too large for a DOM.
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/tr|/li|/h\d|/blockquote|hr)\b[^>]*>", re.I)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_CID_ATTRIBUTE = re.compile(
    r"""(?P<prefix>\b(?:src|href|background)\s*=\s*)(?P<quote>["']?)cid:(?P<cid>[^"'\s>]*)(?P=quote)""",
    re.I,
)


def _too_deep(html: str) -> bool:
    """Whether elements nest deeper than the sanitiser handles in linear time."""
    if html.count("<") < MAX_NESTING:
        return False
    depth = 0
    for match in _NESTING_TAG.finditer(html):
        if match.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > MAX_NESTING:
                return True
    return False


def sanitize_html(html: str) -> str:
    """Return HTML safe to embed: no scripts, styles or handlers; cid: image links are kept."""
    if _too_deep(html):
        # html5ever needs quadratic time for thousands of nested elements: keep the text only.
        return text_to_html(_regex_text(html))
    try:
        return nh3.clean(
            html,
            url_schemes=set(_URL_SCHEMES),
            allowed_classes=_ALLOWED_CLASSES,
            clean_content_tags=set(_DROP_WITH_CONTENT),
        )
    except Exception:  # nh3 is native code; a failure must not lose the mail
        return html_lib.escape(_regex_text(html)).replace("\n", "<br>\n")


def text_to_html(text: str) -> str:
    """Render plain text as HTML (escaped, line breaks kept)."""
    return html_lib.escape(text).replace("\n", "<br>\n")


def rewrite_cid_links(html: str, mapping: dict[str, str]) -> str:
    """Replace ``cid:`` references by the URLs in ``mapping`` (keyed by Content-ID without <>)."""
    if "cid:" not in html.lower() or not mapping:
        return html
    lookup = {key.strip().strip("<>"): value for key, value in mapping.items()}

    def replace(match: re.Match[str]) -> str:
        cid = html_lib.unescape(match.group("cid"))
        url = lookup.get(cid) or lookup.get(unquote(cid)) or lookup.get(cid.strip("<>"))
        if url is None:
            return match.group(0)
        return f'{match.group("prefix")}"{html_lib.escape(url, quote=True)}"'

    return _CID_ATTRIBUTE.sub(replace, html)


def _regex_text(html: str) -> str:
    text = _BLOCK_TAG.sub("\n", html)
    text = html_lib.unescape(_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _mark_quotes(tree: HtmlElement) -> None:
    for element in tree.iter("blockquote", "div"):
        if element.tag == "div" and not _QUOTE_CLASSES.intersection(
            (element.get("class") or "").split()
        ):
            continue
        if any(
            a.tag == "blockquote" or _QUOTE_CLASSES.intersection((a.get("class") or "").split())
            for a in element.iterancestors()
        ):
            continue
        element.text = QUOTE_START + (element.text or "")
        marker = etree.SubElement(element, "span")
        marker.text = QUOTE_END
        # SubElement appends at the end, after the element's last child and its tail.


def html_to_text(html: str, mark_quotes: bool = False) -> str:
    """Render (sanitised) HTML as text with inscriptis; quoted blocks optionally marked."""
    if not html.strip():
        return ""
    if len(html) > MAX_DOM_CHARS or html.count("<") > MAX_DOM_TAGS:
        return _regex_text(html)
    try:
        # huge_tree: without it libxml2 silently drops everything nested deeper than 255.
        tree = document_fromstring(html, parser=HTMLParser(huge_tree=True))
        if mark_quotes:
            _mark_quotes(tree)
        text = Inscriptis(tree, _CONFIG).get_text()
    except (etree.ParserError, ValueError, RecursionError, TypeError):
        return _regex_text(html)
    return text


def strip_quote_markers(text: str) -> str:
    """Remove the quote markers that html_to_text(mark_quotes=True) inserted."""
    return _MARKERS.sub("", text)


def quote_marked_lines(text: str) -> str:
    """Turn quote markers into "> " line prefixes, so quoted HTML reads like quoted text."""
    if QUOTE_START not in text:
        return text
    out: list[str] = []
    depth = 0
    for line in text.split("\n"):
        starts_quoted = depth > 0
        depth += line.count(QUOTE_START) - line.count(QUOTE_END)
        depth = max(depth, 0)
        content = _MARKERS.sub("", line)
        if starts_quoted or QUOTE_START in line:
            out.append("> " + content if content.strip() else ">")
        else:
            out.append(content)
    return "\n".join(out)
