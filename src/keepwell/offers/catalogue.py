"""Reading the catalogue: the current matcher, a ticket's scope, and the demand signal."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.db.models.functions import Lower

from keepwell.commitments.businesstime import describe_duration
from keepwell.commitments.calendars import calendar_for
from keepwell.core.clock import now
from keepwell.offers.matching import (
    ExclusionHit,
    Matcher,
    OfferEntry,
    PartnerEntry,
    ScopeMatch,
    join,
)
from keepwell.offers.models import Decline, Offer, Partner
from keepwell.tickets.models import Message, MessageKind, Ticket

REQUEST_TEXT_LIMIT = 4000


def _version() -> tuple[object, ...]:
    offers = Offer.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    partners = Partner.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    return offers["n"], offers["t"], partners["n"], partners["t"]


@functools.lru_cache(maxsize=4)
def _build(version: tuple[object, ...]) -> Matcher:
    return Matcher(
        [
            OfferEntry(
                o.pk,
                o.name,
                o.keywords,
                join(o.summary, o.description, o.included),
                o.excluded_items,
            )
            for o in Offer.objects.all()
        ],
        [PartnerEntry(p.pk, p.name, p.keywords, p.what_they_do) for p in Partner.objects.all()],
    )


def matcher() -> Matcher:
    """The matcher for the catalogue as it is now (rebuilt only after an edit)."""
    return _build(_version())


def request_text(ticket: Ticket) -> str:
    """What the customer asked for: the subject, their first message and their latest one."""
    bodies = list(
        Message.objects.filter(ticket=ticket, kind=MessageKind.CUSTOMER)
        .order_by("pk")
        .values_list("body_text", flat=True)[:1]
    )
    latest = (
        Message.objects.filter(ticket=ticket, kind=MessageKind.CUSTOMER)
        .order_by("-pk")
        .values_list("body_text", flat=True)[:1]
    )
    bodies += [b for b in latest if b not in bodies]
    return "\n\n".join([ticket.subject, *bodies])[:REQUEST_TEXT_LIMIT]


@dataclass(frozen=True)
class OfferView:
    offer: Offer
    turnaround: str  # "15 working days", or "" when the offer has none


def offer_views(offers: Iterable[Offer], ticket: Ticket | None = None) -> list[OfferView]:
    """Offers with their turnaround in words, on the ticket's calendar (or the desk's)."""
    calendar = calendar_for(ticket)  # looked up once, not per offer
    return [
        OfferView(o, describe_duration(calendar, o.turnaround) if o.turnaround else "")
        for o in offers
    ]


@dataclass
class Scope:
    """What the desk offers for a ticket's request, and how to say no well if it does not."""

    match: ScopeMatch
    offers: list[OfferView]  # matched, best first
    suggested: list[OfferView]  # matched, other than the ticket's own offer
    exclusions: list[ExclusionHit]
    partners: list[Partner]  # matched, best first
    topic: str  # what a decline would be about
    alternative: Offer | None  # the offer to suggest instead, by default
    partner: Partner | None  # the partner to refer to, by default
    current: OfferView | None = None  # the ticket's offer, once set

    @property
    def best_offer(self) -> Offer | None:
        return self.offers[0].offer if self.offers else None

    @property
    def out_of_scope(self) -> bool:
        return self.match.out_of_scope


def scope_for(ticket: Ticket, text: str | None = None) -> Scope:
    """Match the ticket's request (or the given text) against the catalogue."""
    match = matcher().match(request_text(ticket) if text is None else text)
    offer_rows = Offer.objects.in_bulk([r.key for r in match.offers])
    partner_rows = Partner.objects.in_bulk([r.key for r in match.partners])
    offers = [offer_rows[r.key] for r in match.offers if r.key in offer_rows]
    partners = [partner_rows[r.key] for r in match.partners if r.key in partner_rows]
    excluded = {hit.offer_key for hit in match.exclusions}
    alternative = next((o for o in offers if o.public and o.pk not in excluded), None)
    partner = next((p for p in partners if p.public), None)
    topic = match.exclusions[0].exclusion if match.exclusions else ticket.subject
    views = offer_views([*offers, *([ticket.offer] if ticket.offer else [])], ticket)
    matched = views[: len(offers)]
    return Scope(
        match,
        matched,
        [v for v in matched if v.offer.pk != ticket.offer_id],
        list(match.exclusions),
        partners,
        topic,
        alternative,
        partner,
        views[len(offers)] if ticket.offer else None,
    )


def alternatives_for(ticket: Ticket) -> list[str]:
    """Phrases the coach can suggest after a "no": the best other offer, the best partner."""
    scope = scope_for(ticket)
    found = []
    if scope.alternative is not None:
        offer = scope.alternative
        found.append(f"our {offer.name} ({offer.price_text.lower()})")
    if scope.partner is not None:
        found.append(f"to put you in touch with {scope.partner.name} ({scope.partner.contact})")
    return found


@dataclass(frozen=True)
class DemandRow:
    topic: str
    count: int
    last: datetime
    tickets: list[int]


@dataclass(frozen=True)
class Demand:
    """What customers ask for that the shop does not offer, and where they were sent."""

    since: datetime
    topics: list[DemandRow]
    partners: list[tuple[str, int]]  # (partner, referrals), most first
    alternatives: list[tuple[str, int]]  # (offer suggested instead, times), most first
    total: int

    @property
    def top(self) -> int:
        return max((row.count for row in self.topics), default=0)


def demand(*, days: int = 90) -> Demand:
    """Declined requests of the last `days`, grouped by topic (case-insensitively)."""
    since = now() - timedelta(days=days)
    recent = Decline.objects.filter(created_at__gte=since)
    grouped = (
        recent.annotate(key=Lower("topic"))
        .values("key")
        .annotate(count=Count("pk"), last=Max("created_at"), label=Max("topic"))
        .order_by("-count", "-last")[:30]
    )
    rows = list(grouped)
    examples: dict[str, list[int]] = {row["key"]: [] for row in rows}
    for topic, number in recent.filter(topic__in=[r["label"] for r in rows]).values_list(
        "topic", "ticket__number"
    )[:300]:
        found = examples.get(topic.lower())
        if found is not None and number not in found and len(found) < 5:
            found.append(number)
    partners = list(
        recent.exclude(partner=None)
        .values_list("partner__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "partner__name")
    )
    alternatives = list(
        recent.exclude(alternative=None)
        .values_list("alternative__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "alternative__name")
    )
    return Demand(
        since=since,
        topics=[DemandRow(r["label"], r["count"], r["last"], examples[r["key"]]) for r in rows],
        partners=[(name, n) for name, n in partners],
        alternatives=[(name, n) for name, n in alternatives],
        total=recent.count(),
    )
