"""Keyword search over tickets and their messages: SQLite FTS5 or PostgreSQL full text.

One document per ticket (subject weighted above the conversation), appended to as messages
arrive, so that every word of a query may come from a different message of the same ticket.
The table is created by migration 0002 for whichever database is in use.
"""

from __future__ import annotations

import re

from django.db import connection

_WORD = re.compile(r"\w+", re.UNICODE)

SQLITE_SCHEMA = [
    "CREATE VIRTUAL TABLE tickets_search USING fts5("
    "subject, body, tokenize='porter unicode61 remove_diacritics 2')",
]
POSTGRES_SCHEMA = [
    # No foreign key: search rows are looked up by id and joined back to tickets, and a key
    # would stop test runs from truncating the tickets table.
    "CREATE TABLE tickets_search (ticket_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX tickets_search_document ON tickets_search USING gin (document)",
]
DROP_SCHEMA = ["DROP TABLE IF EXISTS tickets_search"]


def _terms(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)][:12]


def index_ticket(ticket_id: int, subject: str, text: str) -> None:
    """Start the search document of a new ticket."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO tickets_search (ticket_id, document) VALUES (%s,"
                " setweight(to_tsvector('english', %s), 'A') || to_tsvector('english', %s))",
                [ticket_id, subject, text],
            )
        else:
            cursor.execute(
                "INSERT INTO tickets_search (rowid, subject, body) VALUES (%s, %s, %s)",
                [ticket_id, subject, text],
            )


def append_text(ticket_id: int, text: str) -> None:
    """Add a message's text to its ticket's search document."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE tickets_search SET document = document || to_tsvector('english', %s)"
                " WHERE ticket_id = %s",
                [text, ticket_id],
            )
        else:
            cursor.execute(
                "UPDATE tickets_search SET body = body || char(10) || %s WHERE rowid = %s",
                [text, ticket_id],
            )


def rename_ticket(ticket_id: int, subject: str) -> None:
    """Keep the subject part of the document in step with the ticket."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE tickets_search SET document = setweight(to_tsvector('english', %s), 'A')"
                " || ts_filter(document, '{b,c,d}') WHERE ticket_id = %s",
                [subject, ticket_id],
            )
        else:
            cursor.execute(
                "UPDATE tickets_search SET subject = %s WHERE rowid = %s", [subject, ticket_id]
            )


def matching_ticket_ids(query: str, *, limit: int = 50) -> list[int]:
    """Ids of tickets whose subject or messages contain every word (as a prefix), best first."""
    terms = _terms(query)
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"{re.sub(r'[^\w]', '', t)}:*" for t in terms)
            cursor.execute(
                "SELECT ticket_id FROM tickets_search, to_tsquery('english', %s) q"
                " WHERE document @@ q ORDER BY ts_rank(document, q) DESC, ticket_id DESC"
                " LIMIT %s",
                [tsquery, limit],
            )
        else:
            match = " ".join('"' + t.replace('"', "") + '"*' for t in terms)
            cursor.execute(
                "SELECT rowid FROM tickets_search WHERE tickets_search MATCH %s"
                " ORDER BY bm25(tickets_search, 5.0, 1.0), rowid DESC LIMIT %s",
                [match, limit],
            )
        return [row[0] for row in cursor.fetchall()]
