"""The API: agents only, the coach's review, errors as 4xx, and the schema as a checked snapshot."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).with_name("openapi.json")


def test_coach_review_over_http(agent_client: Any) -> None:
    response = agent_client.post(
        "/api/coach/review",
        {"text": "I have no idea.", "prefers": "brief"},
        content_type="application/json",
    )
    assert response.status_code == 200
    [finding] = [f for f in response.json()["findings"] if f["code"] == "dead-end"]
    assert (finding["start"], finding["end"]) == (0, 15)
    assert finding["suggestion"]


def test_anonymous_and_non_agents_are_refused(client: Any, django_user_model: Any) -> None:
    assert (
        client.post("/api/coach/review", {"text": "x"}, content_type="application/json").status_code
        == 401
    )
    client.force_login(django_user_model.objects.create_user("plain", "p@example.com", "pw"))
    assert (
        client.post("/api/coach/review", {"text": "x"}, content_type="application/json").status_code
        == 401
    )


def test_bad_input_is_a_4xx_with_a_reason(agent_client: Any) -> None:
    wrong = agent_client.post(
        "/api/coach/review", {"text": "Hi", "prefers": "chatty"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert "prefers" in json.dumps(wrong.json())
    too_long = agent_client.post(
        "/api/coach/review", {"text": "x" * 20_001}, content_type="application/json"
    )
    assert too_long.status_code == 422
    assert too_long.json() == {
        "detail": "The reply is too long to review (limit 20,000 characters).",
        "code": "invalid-input",
        "field": "text",
    }
    garbage = agent_client.post("/api/coach/review", "not json", content_type="application/json")
    assert 400 <= garbage.status_code < 500


def test_openapi_schema_matches_the_snapshot(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    if os.environ.get("KEEPWELL_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    assert schema == json.loads(SNAPSHOT.read_text()), (
        "The API changed: review it, then run KEEPWELL_UPDATE_SNAPSHOTS=1 make test-sqlite"
    )
