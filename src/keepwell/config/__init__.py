"""Settings, URLs, the API and the Celery app."""

from keepwell.config.celery import app as celery_app

__all__ = ["celery_app"]
