"""Plain-words checks of a deployment, for `keepwell check`."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection


def run_checks(*, deploy: bool) -> list[str]:
    """Problems found with the configuration, each a sentence saying what to change."""
    problems: list[str] = []
    deployment = settings.KEEPWELL
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        problems.append(
            f"The database cannot be reached ({exc.__class__.__name__}: {exc}). "
            "Check DATABASE_URL, or unset it to use the built-in SQLite database."
        )
    else:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("The database is not up to date: run `keepwell migrate`.")
    if not deployment.uses_filesystem_broker:
        problems.extend(_broker_problems(deployment.broker_url))
    if deploy:
        if deployment.debug:
            problems.append("KEEPWELL_DEBUG is on: turn it off on a server people use.")
        if not deployment.https:
            problems.append(
                "KEEPWELL_BASE_URL is not https://: set it to the public HTTPS address so "
                "cookies are secure and links in e-mails work."
            )
        if len(set(deployment.secret_key)) < 5 or len(deployment.secret_key) < 50:
            problems.append(
                "KEEPWELL_SECRET_KEY is short or simple: use at least 50 random characters "
                "(or unset it to have one generated in var/)."
            )
        if deployment.email.backend.endswith(("console.EmailBackend", "locmem.EmailBackend")):
            problems.append(
                "Mail is not being sent anywhere: set KEEPWELL_EMAIL_URL to your SMTP server, "
                "e.g. smtp://user:password@mail.example.com:587?tls=1."
            )
    return problems


def _broker_problems(url: str) -> list[str]:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        return [
            f"The background queue at BROKER_URL cannot be reached ({exc}). Start Redis or "
            "RabbitMQ, or unset BROKER_URL to use the built-in queue."
        ]
    return []
