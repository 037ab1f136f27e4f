"""Deployment configuration: one typed object, built once from the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    """A setting in the environment cannot be used; the message says which and why."""


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"expected a yes/no value, got {value!r}")


@dataclass(frozen=True)
class EmailConfig:
    """How outgoing mail leaves: a Django e-mail backend and its options."""

    backend: str
    options: dict[str, object] = field(default_factory=dict)


def parse_email_url(url: str, data_dir: Path) -> EmailConfig:
    """Turn KEEPWELL_EMAIL_URL (console://, file://PATH, memory://, smtp[s]://) into a backend."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return EmailConfig("django.core.mail.backends.console.EmailBackend")
    if scheme == "memory":
        return EmailConfig("django.core.mail.backends.locmem.EmailBackend")
    if scheme == "file":
        path = unquote(parts.path) or str(data_dir / "outbox")
        return EmailConfig(
            "django.core.mail.backends.filebased.EmailBackend", {"EMAIL_FILE_PATH": path}
        )
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ConfigError("KEEPWELL_EMAIL_URL: an smtp:// address needs a host")
        query = parse_qs(parts.query)
        starttls = query.get("tls", ["0"])[0] in {"1", "true", "yes"}
        return EmailConfig(
            "django.core.mail.backends.smtp.EmailBackend",
            {
                "EMAIL_HOST": parts.hostname,
                "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 25),
                "EMAIL_HOST_USER": unquote(parts.username or ""),
                "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
                "EMAIL_USE_SSL": scheme == "smtps",
                "EMAIL_USE_TLS": starttls,
                "EMAIL_TIMEOUT": 30,
            },
        )
    raise ConfigError(
        f"KEEPWELL_EMAIL_URL: unknown scheme {scheme!r}; use console://, file://, memory://, "
        "smtp://user:password@host:port or smtps://"
    )


def _secret_key(environ: dict[str, str], data_dir: Path) -> str:
    """The secret key from the environment, else the one kept in var/, made on first run."""
    key = environ.get("KEEPWELL_SECRET_KEY", "").strip()
    if key:
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class Deployment:
    """Everything that differs between one machine and another; product settings live in models."""

    data_dir: Path
    database_url: str
    broker_url: str
    result_backend: str
    secret_key: str
    debug: bool
    base_url: str
    allowed_hosts: tuple[str, ...]
    email: EmailConfig
    default_from_email: str
    cache_url: str
    max_upload_bytes: int
    portal_link_days: int
    eager_tasks: bool

    @property
    def https(self) -> bool:
        """True when the desk is reached over HTTPS: secure cookies, HSTS and redirects follow."""
        return self.base_url.startswith("https://")

    @property
    def base_host(self) -> str:
        return urlsplit(self.base_url).hostname or "127.0.0.1"

    @property
    def mail_domain(self) -> str:
        """The domain our Message-IDs carry: the sender address's, else the desk's host."""
        address = self.default_from_email.rsplit("<", 1)[-1].rstrip(">").strip()
        domain = address.rsplit("@", 1)[-1] if "@" in address else ""
        return domain or self.base_host

    @property
    def uses_filesystem_broker(self) -> bool:
        return self.broker_url.startswith("filesystem://")

    @property
    def broker_folder(self) -> Path:
        return self.data_dir / "broker"

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> Deployment:
        """Read the environment once; raise ConfigError in plain words for an unusable value."""
        env = dict(os.environ if environ is None else environ)
        root = Path(env.get("KEEPWELL_HOME", Path.cwd())).resolve()
        data_dir = Path(env.get("KEEPWELL_DATA_DIR", root / "var")).resolve()
        database_url = (
            env.get("DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'keepwell.sqlite3'}"
        )
        broker_url = env.get("BROKER_URL", "").strip() or "filesystem://"
        port = env.get("PORT", "8000").strip() or "8000"
        base_url = (
            env.get("KEEPWELL_BASE_URL", "").strip().rstrip("/") or f"http://127.0.0.1:{port}"
        )
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError("KEEPWELL_BASE_URL must start with http:// or https://")
        host = urlsplit(base_url).hostname or "127.0.0.1"
        extra_hosts = [
            h.strip() for h in env.get("KEEPWELL_ALLOWED_HOSTS", "").split(",") if h.strip()
        ]
        allowed = tuple(dict.fromkeys([host, *extra_hosts, "127.0.0.1", "localhost", "[::1]"]))
        try:
            max_upload = int(env.get("KEEPWELL_MAX_UPLOAD_MB", "10")) * 1024 * 1024
            link_days = int(env.get("KEEPWELL_PORTAL_LINK_DAYS", "14"))
        except ValueError as exc:
            raise ConfigError(f"a numeric setting is not a whole number: {exc}") from exc
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            broker_url=broker_url,
            result_backend=env.get("KEEPWELL_RESULT_BACKEND", "").strip()
            or (
                "redis://" + broker_url.split("://", 1)[1]
                if broker_url.startswith("redis://")
                else ""
            ),
            secret_key=_secret_key(env, data_dir),
            debug=_flag(env.get("KEEPWELL_DEBUG"), default=False),
            base_url=base_url,
            allowed_hosts=allowed,
            email=parse_email_url(env.get("KEEPWELL_EMAIL_URL", "console://"), data_dir),
            default_from_email=env.get("KEEPWELL_FROM_EMAIL", "Keepwell <help@localhost>"),
            cache_url=env.get("KEEPWELL_CACHE_URL", "").strip(),
            max_upload_bytes=max_upload,
            portal_link_days=link_days,
            eager_tasks=_flag(env.get("KEEPWELL_EAGER_TASKS"), default=False),
        )
