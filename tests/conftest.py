from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from keepwell.accounts.models import Role
from tests.factories import TeamFactory, make_agent, make_contact, make_ticket

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def team(db: Any) -> Any:
    return TeamFactory(name="Orders")


@pytest.fixture
def agent(team: Any) -> Any:
    return make_agent(teams=[team], display_name="Priya Shah", email="priya@desk.test")


@pytest.fixture
def other_agent(team: Any) -> Any:
    return make_agent(teams=[team], display_name="Sam Okafor", email="sam@desk.test")


@pytest.fixture
def owner(team: Any) -> Any:
    return make_agent(Role.OWNER, teams=[team], display_name="Alex Morgan", email="alex@desk.test")


@pytest.fixture
def contact(db: Any) -> Any:
    return make_contact(name="Olivia Bennett", email="olivia@example.com")


@pytest.fixture
def ticket(contact: Any, team: Any) -> Any:
    return make_ticket(contact, team=team)


@pytest.fixture
def agent_client(client: Any, agent: Any) -> Any:
    client.force_login(agent)
    return client


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


DB_FIXTURES = {"db", "transactional_db", "live_server", "client", "admin_client", "django_db_setup"}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """With KEEPWELL_DB_TESTS_ONLY=1 (the PostgreSQL pass) run only tests that touch a database."""
    if os.environ.get("KEEPWELL_DB_TESTS_ONLY") != "1":
        return
    skip = pytest.mark.skip(reason="pure test: already run in the SQLite pass")
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DB_FIXTURES & set(item.fixturenames)
        if not uses_db:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.reporting import LINES

    if LINES:
        terminalreporter.section("measured")
        for line in LINES:
            terminalreporter.write_line(line)
