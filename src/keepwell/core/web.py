"""Web adapter helpers: access decorators and the mapping of domain errors to responses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from keepwell.accounts.policies import is_agent, is_owner
from keepwell.core.errors import DomainError

View = Callable[..., HttpResponseBase]


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


def _guard(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                return render(
                    request,
                    "core/error.html",
                    {"title": "Not allowed", "message": "Your account cannot open this page."},
                    status=403,
                )
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return domain_error_response(request, exc)

        return wrapped

    return decorator


agent_required = _guard(is_agent)
owner_required = _guard(is_owner)


def domain_error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A page (or, for HTMX, a fragment) that says what went wrong, with the error's status."""
    template = "core/_error_fragment.html" if getattr(request, "htmx", False) else "core/error.html"
    return render(
        request,
        template,
        {"title": "That didn't work", "message": exc.message},
        status=exc.status_code,
    )
