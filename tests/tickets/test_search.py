"""Keyword search, run on whichever database the suite uses (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from keepwell.tickets import actions
from keepwell.tickets.search import matching_ticket_ids
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(contact: Any, agent: Any) -> dict[str, Any]:
    teapot = make_ticket(contact, subject="Cracked teapot lid", body="The lid arrived cracked.")
    refund = make_ticket(contact, subject="Refund question", body="When will I see my money?")
    actions.reply_to_ticket(
        actor=agent,
        ticket=refund,
        body="Refunds reach your card within 3 working days.",
        seen_up_to=None,
    )
    actions.add_customer_message(
        contact=contact, ticket=refund, body="Thanks, the parcel was a gift."
    )
    class_ = make_ticket(
        contact, subject="Booking a wheel class", body="Two places on Saturday please."
    )
    return {"teapot": teapot, "refund": refund, "class": class_}


def ids(query: str) -> list[int]:
    return matching_ticket_ids(query)


def test_finds_words_in_subject_and_body(tickets: dict[str, Any]) -> None:
    assert ids("teapot") == [tickets["teapot"].pk]
    assert ids("cracked") == [tickets["teapot"].pk]


def test_every_word_may_come_from_a_different_message(tickets: dict[str, Any]) -> None:
    # "card" is in the agent's reply, "gift" in the customer's later message.
    assert ids("card gift") == [tickets["refund"].pk]


def test_stemming_and_prefixes(tickets: dict[str, Any]) -> None:
    assert ids("refunds") == [tickets["refund"].pk]
    assert ids("book") == [tickets["class"].pk]  # prefix of "booking"


def test_no_match_and_punctuation_only(tickets: dict[str, Any]) -> None:
    assert ids("xylophone") == []
    assert ids('"*) OR (') == []
    assert ids("") == []


def test_subject_ranks_above_body(contact: Any) -> None:
    in_body = make_ticket(contact, subject="Question", body="Is the glaze food safe?")
    in_subject = make_ticket(contact, subject="Glaze colours", body="Which colours do you have?")
    assert ids("glaze") == [in_subject.pk, in_body.pk]


def test_renamed_subject_is_searchable(tickets: dict[str, Any]) -> None:
    from keepwell.tickets.search import rename_ticket

    rename_ticket(tickets["class"].pk, "Pottery course")
    assert ids("pottery") == [tickets["class"].pk]
    assert ids("saturday") == [tickets["class"].pk]
