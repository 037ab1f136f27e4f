"""Settings for the test suite: the real settings, with fast hashing and throwaway storage."""

import os
import tempfile

os.environ.setdefault("KEEPWELL_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("KEEPWELL_DATA_DIR", tempfile.mkdtemp(prefix="keepwell-test-"))
os.environ.setdefault("KEEPWELL_EAGER_TASKS", "1")

from keepwell.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The live server of the browser tests serves static files straight from the apps.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
