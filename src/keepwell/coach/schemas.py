from __future__ import annotations

from typing import Literal

from ninja import Schema


class ReviewIn(Schema):
    text: str
    customer_message: str | None = None
    prefers: Literal["brief", "standard", "detailed"] | None = None


class FindingOut(Schema):
    code: str
    message: str
    start: int
    end: int
    suggestion: str


class ReviewOut(Schema):
    findings: list[FindingOut]
