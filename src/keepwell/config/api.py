"""The one NinjaAPI: every router, authentication for agents, domain errors as 4xx answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import SessionAuth

from keepwell.accounts.policies import is_agent
from keepwell.coach.api import router as coach_router
from keepwell.core.errors import DomainError


class AgentSession(SessionAuth):
    """A signed-in agent's session (with its CSRF token for writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and is_agent(user) else None


api = NinjaAPI(
    title="Keepwell API",
    version="1",
    description="The desk's API. Every call needs a signed-in agent.",
    auth=AgentSession(),
    urls_namespace="api",
)
api.add_router("/coach", coach_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Domain errors keep their status (404, 409, 422 …) and say what went wrong."""
    return api.create_response(
        request,
        {"detail": exc.message, "code": exc.code, "field": exc.field},
        status=exc.status_code,
    )
