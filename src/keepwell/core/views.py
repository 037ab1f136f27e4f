from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from keepwell.accounts.policies import is_agent


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    """Agents land in their inbox, everyone else on the help pages."""
    return redirect("tickets:inbox" if is_agent(request.user) else "portal:home")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and `keepwell serve`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
