"""Saying no to the request and yes to the requestor: the decline-with-alternative reply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Alternative:
    name: str
    summary: str
    price: str  # "from £120.00", "Price on request"
    turnaround: str = ""  # "30 working days"


@dataclass(frozen=True)
class Referral:
    name: str
    what_they_do: str
    contact: str


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[1].isupper():  # an acronym or a name: keep it
        return text
    return text[:1].lower() + text[1:]


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def decline_draft(
    *,
    customer_name: str,
    topic: str,
    part_of: str = "",
    alternative: Alternative | None = None,
    referral: Referral | None = None,
) -> str:
    """A reply that acknowledges, says a clear no with its reason, and offers a way forward.

    `part_of` names the offer whose exclusions the request hit ("our Custom commission"), which
    is the reason; the alternative and the referral are the way forward, and the last paragraph
    is the next step in the customer's hands.
    """
    first = customer_name.split()[0] if customer_name.strip() else ""
    about = _lower_first(topic) or "this"
    reason = (
        f"It isn't part of {part_of}, and we would rather say so now than do it half well."
        if part_of
        else "It is outside what our small team does, and we would rather say so now than "
        "do it half well."
    )
    parts = [
        f"Hello {first}," if first else "Hello,",
        f"Thank you for asking us about {about}. I'm sorry, but that isn't something we offer. "
        f"{reason}",
    ]
    if alternative is not None:
        cost = f"It costs {alternative.price[:1].lower() + alternative.price[1:]}"
        cost += f" and takes {alternative.turnaround}." if alternative.turnaround else "."
        parts.append(
            f"What we can do instead is our {alternative.name}: "
            f"{_lower_first(alternative.summary)}. {cost}"
        )
    if referral is not None:
        parts.append(
            f"For {about}, I recommend {referral.name} — "
            f"{_sentence(_lower_first(referral.what_they_do))} "
            f"You can reach them at {referral.contact.strip().rstrip('.')}."
        )
    if alternative is not None:
        parts.append(
            f"If you would like to go ahead with the {alternative.name}, reply to this "
            "message and we will take it from there."
        )
    elif referral is not None:
        parts.append(
            "If they can't help you, reply to this message and we will look for another way."
        )
    else:
        parts.append(
            "If you tell us a little more about what you need, we will suggest who could help."
        )
    return "\n\n".join(parts)
