"""Which offers a request is about, which exclusions it hits, and which partners could help.

Pure: plain data in, plain data out, no Django. Ranking is SQLite FTS5's BM25 over an index held
in memory by Python's own `sqlite3` (whatever database the desk itself uses), with the Porter
stemmer, so "installing" finds "Installation" and "mugs" finds "mug". Build a `Matcher` once
per version of the catalogue and ask it as often as needed: a request costs two index queries.

An exclusion ("not included: installing or fitting tiles") is hit when the request uses one of
its distinctive words: a word of the exclusion that the offer itself does not use ("fit",
"instal"; not "tile", which the offer sells). Only the exclusions of offers the request is about
are checked.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# BM25 weights of the (name, keywords, body) columns: a word in an offer's name or in the words
# its customers use counts more than one in its description.
WEIGHTS = (4.0, 2.0, 1.0)
MAX_TERMS = 80
EXCLUSION_CANDIDATES = 3
EXCLUSION_MIN_SCORE = 1.0
EXCLUSION_SHARE_OF_TOP = 0.5
MAX_TEXT = 6000

# Words that say nothing about what is asked: function words and the furniture of a letter.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn d did didn do does doesn
    doing don down during each few for from further had hadn has hasn have haven having he her
    here hers herself him himself his how i if in into is isn it its itself just ll m me might
    mightn more most must mustn my myself no nor not now o of off on once only or other our ours
    ourselves out over own re s same shall shan she should shouldn so some such t than that the
    their theirs them themselves then there these they this those through to too under until up
    us ve very was wasn we were weren what when where which while who whom why will with won
    would wouldn y you your yours yourself yourselves hi hello hey dear thanks thank cheers
    regards best wishes kind please pls sincerely morning afternoon evening team sir madam hope
    well let know get got like want wanted wondering wonder ask asking question quick possible
    possibly able really lot lots much many one two something anything thing things way also
    still just maybe perhaps sure yes ok okay x
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class OfferEntry:
    """What the matcher reads of an offer; `key` is the caller's id for it."""

    key: int
    name: str
    keywords: str = ""
    body: str = ""  # summary, description and what is included
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerEntry:
    key: int
    name: str
    keywords: str = ""
    body: str = ""  # what they do


@dataclass(frozen=True)
class Ranked:
    key: int
    name: str
    score: float  # BM25: higher is a better fit


@dataclass(frozen=True)
class ExclusionHit:
    offer_key: int
    offer_name: str
    exclusion: str
    words: tuple[str, ...]  # the request's words that hit it, as they were written


@dataclass(frozen=True)
class ScopeMatch:
    offers: tuple[Ranked, ...] = ()  # offers the request fits well, best first
    exclusions: tuple[ExclusionHit, ...] = ()
    partners: tuple[Ranked, ...] = ()  # partners who could help, best first

    @property
    def best_offer(self) -> Ranked | None:
        return self.offers[0] if self.offers else None

    @property
    def about(self) -> tuple[int, str] | None:
        """(key, name) of the offer the request is about: the one whose exclusion it hits, else
        the best fit."""
        if self.exclusions:
            return self.exclusions[0].offer_key, self.exclusions[0].offer_name
        best = self.best_offer
        return (best.key, best.name) if best else None

    @property
    def out_of_scope(self) -> bool:
        """True when the request asks for something excluded, or fits no offer well."""
        return not self.offers or bool(self.exclusions)


_HINTS = re.compile(r"\[([^\]]*)\]")


def shown(line: str) -> str:
    """An exclusion as customers read it: without its [matching hints]."""
    return " ".join(_HINTS.sub("", line).split())


def words(text: str) -> list[str]:
    """The request's meaningful words, lowercased, in order, each once."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text[:MAX_TEXT].lower()):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word)
        if len(seen) == MAX_TERMS:
            break
    return list(seen)


@dataclass
class _Exclusion:
    offer: OfferEntry
    text: str
    distinctive: frozenset[str] = field(default_factory=frozenset)


class Matcher:
    """An index of one version of the catalogue; safe to share between threads."""

    def __init__(
        self,
        offers: Iterable[OfferEntry],
        partners: Iterable[PartnerEntry],
        *,
        min_offer_score: float = 3.0,
        min_partner_score: float = 1.5,
    ) -> None:
        self.offers = {o.key: o for o in offers}
        self.partners = {p.key: p for p in partners}
        self.min_offer_score = min_offer_score
        self.min_partner_score = min_partner_score
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        tokenizer = "tokenize='porter unicode61 remove_diacritics 2'"
        for table in ("offer", "partner", "scratch"):
            self._db.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(name, keywords, body, {tokenizer})"
            )
            self._db.execute(
                f"CREATE VIRTUAL TABLE {table}_terms USING fts5vocab({table}, 'instance')"
            )
        self._db.executemany(
            "INSERT INTO offer(rowid, name, keywords, body) VALUES (?, ?, ?, ?)",
            [(o.key, o.name, o.keywords, o.body) for o in self.offers.values()],
        )
        self._db.executemany(
            "INSERT INTO partner(rowid, name, keywords, body) VALUES (?, ?, ?, ?)",
            [(p.key, p.name, p.keywords, p.body) for p in self.partners.values()],
        )
        self._exclusions = self._index_exclusions()

    def _stems(self, text: str) -> dict[str, str]:
        """The Porter stems of a text's words, each with the first word that produced it."""
        self._db.execute("DELETE FROM scratch")
        self._db.execute("INSERT INTO scratch(rowid, body) VALUES (1, ?)", (text,))
        rows = self._db.execute("SELECT term, offset FROM scratch_terms ORDER BY offset")
        tokens = re.findall(r"[^\W_]+", text.lower())
        stems: dict[str, str] = {}
        for term, offset in rows:
            stems.setdefault(term, tokens[offset] if offset < len(tokens) else term)
        return stems

    def _index_exclusions(self) -> dict[int, list[_Exclusion]]:
        offer_terms: dict[int, set[str]] = {}
        for key, term in self._db.execute("SELECT doc, term FROM offer_terms"):
            offer_terms.setdefault(key, set()).add(term)
        stop_stems = set(self._stems(" ".join(sorted(STOPWORDS))))
        found: dict[int, list[_Exclusion]] = {}
        for offer in self.offers.values():
            for line in offer.exclusions:
                text = shown(line)
                if not text:
                    continue
                # Words in [brackets] are the owner's hints: how customers ask for it.
                stems = set(self._stems(line)) - offer_terms.get(offer.key, set()) - stop_stems
                found.setdefault(offer.key, []).append(
                    _Exclusion(offer, text, frozenset(s for s in stems if not s.isdigit()))
                )
        return found

    def _rank(self, table: str, query: str, limit: int, minimum: float) -> list[tuple[int, float]]:
        rows = self._db.execute(  # table is one of ours, never user input
            f"SELECT rowid, -bm25({table}, ?, ?, ?) AS score FROM {table} "  # noqa: S608
            f"WHERE {table} MATCH ? ORDER BY score DESC LIMIT ?",
            (*WEIGHTS, query, limit),
        )
        return [(key, score) for key, score in rows if score >= minimum]

    def match(self, text: str, *, limit: int = 3) -> ScopeMatch:
        """Rank the offers and partners for a request and find the exclusions it hits."""
        terms = words(text)
        if not terms:
            return ScopeMatch()
        query = " OR ".join(f'"{t}"' for t in terms)
        with self._lock:
            # Exclusions are checked on the offers the request touches nearly as much as the
            # best one, ...
            candidates = self._rank("offer", query, EXCLUSION_CANDIDATES, EXCLUSION_MIN_SCORE)
            partners = self._rank("partner", query, limit, self.min_partner_score)
            asked = self._stems(" ".join(terms)) if self._exclusions else {}
        top = candidates[0][1] if candidates else 0.0
        candidates = [(k, s) for k, s in candidates if s >= top * EXCLUSION_SHARE_OF_TOP]
        hits = [
            ExclusionHit(
                key,
                self.offers[key].name,
                exclusion.text,
                tuple(asked[s] for s in sorted(exclusion.distinctive & asked.keys())),
            )
            for key, _ in candidates
            for exclusion in self._exclusions.get(key, ())
            if exclusion.distinctive & asked.keys()
        ]
        # ... but only those it fits well are offered.
        offers = [(k, s) for k, s in candidates if s >= self.min_offer_score][:limit]
        return ScopeMatch(
            offers=tuple(Ranked(k, self.offers[k].name, round(s, 3)) for k, s in offers),
            exclusions=tuple(hits),
            partners=tuple(Ranked(k, self.partners[k].name, round(s, 3)) for k, s in partners),
        )


def lines(text: str) -> tuple[str, ...]:
    """Non-empty lines of a multi-line field ("what is included", "not included")."""
    return tuple(line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t"))


def join(*parts: str | Sequence[str]) -> str:
    """Fields joined into one text for the index."""
    return "\n".join(p if isinstance(p, str) else "\n".join(p) for p in parts if p)
