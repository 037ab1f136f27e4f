"""Who may do what: owners run the desk, agents serve customers."""

from __future__ import annotations

from typing import Any

from keepwell.accounts.models import AgentProfile, Role
from keepwell.core.errors import Forbidden


def agent_profile(user: Any) -> AgentProfile | None:
    """The user's agent profile, or None for anonymous users and non-agents."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        profile: AgentProfile = user.agent_profile
    except AgentProfile.DoesNotExist:
        return None
    return profile


def is_agent(user: Any) -> bool:
    """True for every active agent, owners included."""
    return agent_profile(user) is not None


def is_owner(user: Any) -> bool:
    """True for active owners."""
    profile = agent_profile(user)
    return profile is not None and profile.role == Role.OWNER


def ensure_agent(user: Any) -> AgentProfile:
    """The actor's profile; raises Forbidden when the actor is not an active agent."""
    profile = agent_profile(user)
    if profile is None:
        raise Forbidden("Only agents of this desk can do that.")
    return profile


def ensure_owner(user: Any) -> AgentProfile:
    """The actor's profile; raises Forbidden unless the actor is an owner."""
    profile = ensure_agent(user)
    if profile.role != Role.OWNER:
        raise Forbidden("Only an owner of this desk can do that.")
    return profile
