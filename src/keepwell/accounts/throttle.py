"""Login throttling: too many failures for one account or one address lock it for a while."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{digest}", f"login-fail:ip:{address}"]


def is_locked(username: str, address: str) -> bool:
    """True when this account or address has failed too often recently."""
    counts = cache.get_many(_keys(username, address))
    return any(int(v) >= MAX_FAILURES * (1 if "user" in k else 4) for k, v in counts.items())


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt for the account and for the address."""
    for key in _keys(username, address):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW_SECONDS)


def clear(username: str, address: str) -> None:
    """Forget the account's failures after a successful sign-in."""
    cache.delete(_keys(username, address)[0])
