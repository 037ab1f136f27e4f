"""Agents and teams.

An agent is a Django user with an AgentProfile; owners are also staff and superusers so that the
owner-only admin works. Nobody but an owner (or the set-up command, actor=None) creates agents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from keepwell.accounts.models import AgentProfile, Role, Team
from keepwell.accounts.policies import ensure_owner
from keepwell.core.errors import InvalidInput


@transaction.atomic
def create_team(*, actor: Any | None, name: str, description: str = "") -> Team:
    """Create a team; raises InvalidInput when the name is taken."""
    if actor is not None:
        ensure_owner(actor)
    name = name.strip()
    if not name:
        raise InvalidInput("A team needs a name.", field="name")
    if Team.objects.filter(name__iexact=name).exists():
        raise InvalidInput(f"There is already a team called {name}.", field="name")
    return Team.objects.create(name=name, description=description)


@transaction.atomic
def create_agent(
    *,
    actor: Any | None,
    email: str,
    display_name: str,
    password: str | None,
    role: Role = Role.AGENT,
    teams: Sequence[Team] = (),
    time_zone: str = "Europe/London",
    capacity: int = 10,
    check_password: bool = True,
) -> AgentProfile:
    """Create a user with an agent profile; actor None is the installer (set-up, demo)."""
    if actor is not None:
        ensure_owner(actor)
    user_model = get_user_model()
    email = email.strip().lower()
    if not email or "@" not in email:
        raise InvalidInput("An agent needs a valid e-mail address.", field="email")
    if user_model.objects.filter(username=email).exists():
        raise InvalidInput(f"{email} is already an agent here.", field="email")
    user = user_model(username=email, email=email, first_name=display_name.split(" ")[0])
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise InvalidInput(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    is_owner = role == Role.OWNER
    user.is_staff = is_owner
    user.is_superuser = is_owner
    user.save()
    profile = AgentProfile.objects.create(
        user=user,
        display_name=display_name,
        role=role,
        time_zone=time_zone,
        capacity=capacity,
    )
    profile.teams.set(teams)
    return profile
