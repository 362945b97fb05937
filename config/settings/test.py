"""Test layer: real PostgreSQL and Redis, fast hashing, e-mail kept in memory."""

from config.env import env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "presentis-test")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "test-celerybeat-schedule")
ALLOWED_HOSTS = ["*"]
