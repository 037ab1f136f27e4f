"""Configuration from the environment, and `keepwell check` in plain words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from keepwell.config.env import ConfigError, Deployment, parse_email_url


def test_embedded_defaults(tmp_path: Path) -> None:
    d = Deployment.from_environ({"KEEPWELL_DATA_DIR": str(tmp_path)})
    assert d.database_url == f"sqlite:///{tmp_path / 'keepwell.sqlite3'}"
    assert d.uses_filesystem_broker
    assert d.base_url == "http://127.0.0.1:8000"
    assert not d.https and not d.debug
    assert d.email.backend == "django.core.mail.backends.console.EmailBackend"
    assert "127.0.0.1" in d.allowed_hosts


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = Deployment.from_environ({"KEEPWELL_DATA_DIR": str(tmp_path)}).secret_key
    second = Deployment.from_environ({"KEEPWELL_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    given = Deployment.from_environ(
        {"KEEPWELL_DATA_DIR": str(tmp_path), "KEEPWELL_SECRET_KEY": "k" * 60}
    )
    assert given.secret_key == "k" * 60


def test_production_values(tmp_path: Path) -> None:
    d = Deployment.from_environ(
        {
            "KEEPWELL_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u:p@db:5432/kw",
            "BROKER_URL": "redis://127.0.0.1:6379/0",
            "KEEPWELL_BASE_URL": "https://help.example.com/",
            "KEEPWELL_ALLOWED_HOSTS": "desk.example.com, ",
            "PORT": "9000",
        }
    )
    assert d.https and d.base_url == "https://help.example.com"
    assert d.allowed_hosts[:2] == ("help.example.com", "desk.example.com")
    assert d.result_backend == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("console://", "console.EmailBackend", {}),
        ("memory://", "locmem.EmailBackend", {}),
        ("file:///srv/outbox", "filebased.EmailBackend", {"EMAIL_FILE_PATH": "/srv/outbox"}),
        (
            "smtp://me%40x.com:s3cr%2Ft@mail.example.com:587?tls=1",
            "smtp.EmailBackend",
            {
                "EMAIL_HOST": "mail.example.com",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "me@x.com",
                "EMAIL_HOST_PASSWORD": "s3cr/t",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "smtps://mail.example.com",
            "smtp.EmailBackend",
            {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True},
        ),
    ],
)
def test_email_urls(url: str, backend: str, options: dict[str, object], tmp_path: Path) -> None:
    config = parse_email_url(url, tmp_path)
    assert config.backend.endswith(backend)
    assert options.items() <= config.options.items()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KEEPWELL_EMAIL_URL": "pigeon://loft"}, "unknown scheme 'pigeon'"),
        ({"KEEPWELL_BASE_URL": "help.example.com"}, "must start with http"),
        ({"KEEPWELL_DEBUG": "maybe"}, "yes/no"),
        ({"KEEPWELL_MAX_UPLOAD_MB": "ten"}, "not a whole number"),
    ],
)
def test_bad_values_are_explained(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        Deployment.from_environ({"KEEPWELL_DATA_DIR": str(tmp_path), **env})


def _keepwell(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KEEPWELL_", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "keepwell.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_in_a_production_configuration(tmp_path: Path) -> None:
    env = {
        "KEEPWELL_DATA_DIR": str(tmp_path),
        "KEEPWELL_BASE_URL": "https://help.example.com",
        "KEEPWELL_SECRET_KEY": "x7#Lq9!vR2@mZ4$wT8^kP1&nB6*cY3(dF5)gH0_jS-eA+uU=oI" * 2,
        "KEEPWELL_EMAIL_URL": "smtp://mail.example.com:587?tls=1",
    }
    assert _keepwell(["migrate", "-v", "0"], env).returncode == 0
    result = _keepwell(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ Configuration, database and background queue look right." in result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_explains_what_is_wrong(tmp_path: Path) -> None:
    env = {
        "KEEPWELL_DATA_DIR": str(tmp_path),
        "KEEPWELL_SECRET_KEY": "short",
        "BROKER_URL": "redis://127.0.0.1:1/0",
    }
    result = _keepwell(["check", "--deploy"], env)
    assert result.returncode != 0
    out = result.stdout
    assert "The database is not up to date: run `keepwell migrate`." in out
    assert "The background queue at BROKER_URL cannot be reached" in out
    assert "KEEPWELL_BASE_URL is not https://" in out
    assert "KEEPWELL_SECRET_KEY is short or simple" in out
    assert "Mail is not being sent anywhere" in out


def test_config_errors_are_plain_words(tmp_path: Path) -> None:
    result = _keepwell(
        ["check"], {"KEEPWELL_DATA_DIR": str(tmp_path), "KEEPWELL_EMAIL_URL": "pigeon://x"}
    )
    assert result.returncode == 2
    assert "configuration problem: KEEPWELL_EMAIL_URL: unknown scheme 'pigeon'" in result.stderr
