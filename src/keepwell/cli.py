"""The `keepwell` command: serve, worker, demo, check, and every Django management command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

USAGE = """keepwell COMMAND [options]

  serve     run the web server (gunicorn) and an embedded background worker
  worker    run a background worker (Celery) with --beat for periodic jobs
  demo      load the demo shop (3 agents, 2 teams, ~40 customers, ~200 tickets)
  check     say in plain words what is misconfigured (--deploy for production)
  ...       any Django management command (migrate, createsuperuser, shell, ...)
"""


def _setup_env() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepwell.config.settings")


def _django(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["keepwell", *argv])


def serve(argv: Sequence[str]) -> int:
    """Run gunicorn and, unless --no-worker, a Celery worker with beat; stop both together."""
    parser = argparse.ArgumentParser(prog="keepwell serve")
    parser.add_argument("--bind", default=None, help="address:port (default 127.0.0.1:$PORT)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--no-worker", action="store_true", help="web server only")
    args = parser.parse_args(argv)
    bind = (
        args.bind
        or os.environ.get("KEEPWELL_BIND")
        or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
    )

    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    children: list[subprocess.Popen[bytes]] = []
    if not args.no_worker:
        worker_cmd = [sys.executable, "-m", "keepwell.cli", "worker", "--beat", "--quiet"]
        children.append(subprocess.Popen(worker_cmd))
    children.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "keepwell.config.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(args.workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ]
        )
    )
    print(f"Keepwell is running on http://{bind}/  (Ctrl+C stops it)", flush=True)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop(signal.SIGTERM, None)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


def worker(argv: Sequence[str]) -> int:
    """Run a Celery worker; with --beat it also runs the periodic-job scheduler."""
    parser = argparse.ArgumentParser(prog="keepwell worker")
    parser.add_argument("--beat", action="store_true", help="also run periodic jobs (one per site)")
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    from django.conf import settings

    deployment = settings.KEEPWELL
    if deployment.uses_filesystem_broker:
        for name in ("queue", "processed", "control"):
            (deployment.broker_folder / name).mkdir(parents=True, exist_ok=True)
    from keepwell.config.celery import app

    options = ["worker", "--loglevel", "WARNING" if args.quiet else "INFO"]
    if deployment.uses_filesystem_broker:
        # The filesystem transport is for one machine: one process takes the jobs in order.
        options += ["--pool", "solo"]
    elif args.concurrency:
        options += ["--concurrency", str(args.concurrency)]
    if args.beat:
        options += ["--beat", "--schedule", str(deployment.data_dir / "celerybeat-schedule")]
    app.worker_main(options)
    return 0


def check(argv: Sequence[str]) -> int:
    """Plain-words configuration check, then Django's own system checks."""
    from keepwell.core.diagnostics import run_checks

    deploy = "--deploy" in argv
    problems = run_checks(deploy=deploy)
    for problem in problems:
        print(f"✗ {problem}")
    if not problems:
        print("✓ Configuration, database and background queue look right.")
    try:
        _django(["check", *argv])
    except SystemExit as exc:
        return int(exc.code or 1)
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `keepwell` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    _setup_env()
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = args[0], args[1:]
    try:
        if command == "serve":
            return serve(rest)
        import django

        django.setup()
        if command == "worker":
            return worker(rest)
        if command == "check":
            return check(rest)
        _django([command, *rest])
    except Exception as exc:
        from keepwell.config.env import ConfigError

        if isinstance(exc, ConfigError):
            print(f"keepwell: configuration problem: {exc}", file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
