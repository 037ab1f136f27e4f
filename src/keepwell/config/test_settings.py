"""Settings for the test suite: the real settings, with fast hashing and throwaway storage."""

import os
import tempfile

os.environ.setdefault("KEEPWELL_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("KEEPWELL_DATA_DIR", tempfile.mkdtemp(prefix="keepwell-test-"))
os.environ.setdefault("KEEPWELL_EAGER_TASKS", "1")

from keepwell.config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
