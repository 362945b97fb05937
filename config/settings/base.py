"""Settings shared by every environment.

Order of precedence, lowest first: the defaults in this module, then the layer module
that imports it (``dev``, ``test`` or ``production``), then environment variables, which
every layer reads through ``config.env``. Nothing here touches the database or network.
"""

from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from config.env import (
    celery_broker_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

# Lets ``ModelAdmin[Model]`` and friends be subscripted at run time, as the stubs allow.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("PRESENTIS_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", ".localhost", "127.0.0.1"])

# --- Schools as tenants -------------------------------------------------------------------
# The public schema holds what all schools share; each school's own data lives only in its
# schema. Authentication and sessions live in both: Presentis staff in public, each
# school's users in that school's schema.

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "shared_apps.regions",
    "shared_apps.accounts",
    "shared_apps.events",
    "maintenance",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "shared_apps.accounts",
    "tenant_apps.school",
    "tenant_apps.access",
    "tenant_apps.absence",
    "tenant_apps.logbook",
    "tenant_apps.timetable",
    "tenant_apps.api",
    "rest_framework",
    "drf_spectacular",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.School"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_school"
DEFAULT_NOT_FOUND_TENANT_VIEW = "tenants.views.unknown_host"

# New schools are cloned from this migrated template schema; ``tenants.provisioning``
# keeps it current before every clone.
TENANT_BASE_SCHEMA = "school_template"
TENANT_CREATION_FAKES_MIGRATIONS = True

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/presentis")
    ).as_django("django_tenants.postgresql_backend")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sessions -------------------------------------------------------------------------------
# A session ends when the browser closes, after 8 hours at most, and after an idle hour
# (tenant_apps.access.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

MIDDLEWARE = [
    "tenants.middleware.HealthCheckMiddleware",
    "tenants.middleware.SchoolMiddleware",
    "maintenance.middleware.MaintenanceModeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenant_apps.access.middleware.IdleSessionMiddleware",
    "tenant_apps.access.middleware.DeclaredAccessMiddleware",
    "tenants.middleware.SuspendedSchoolMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.school",
                "maintenance.context_processors.notices",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Every school's uploads sit under MEDIA_ROOT/<schema>/, so a path never crosses schools.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Redis: cache and Celery --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Every key starts with the current schema, so one school never reads another's.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "presentis"),
    }
}

CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = celery_broker_url(REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "presentis")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "worker-heartbeat": {"task": "tenants.tasks.record_heartbeat", "schedule": 60.0},
    "maintenance-dispatch": {"task": "maintenance.tasks.dispatch_maintenance", "schedule": 60.0},
    "timetable-stale-solves": {
        "task": "timetable.dispatch_stale_solve_check",
        "schedule": 10 * 60.0,
    },
    "access-log-retention": {
        "task": "access.dispatch_access_log_retention",
        "schedule": 24 * 60 * 60.0,
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Presentis <noreply@presentis.nl>")

# --- Public site ----------------------------------------------------------------------------
PUBLIC_DOMAIN = env_str("PUBLIC_DOMAIN", "localhost")

# --- Errors and logs ------------------------------------------------------------------------
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "school": {"()": "tenants.logging.SchoolSchemaFilter"},
        "redact": {"()": "tenants.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["school", "redact"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# Scheme of links in e-mails (a school's domain is served over https in production).
SITE_SCHEME = env_str("SITE_SCHEME", "http")

# --- The daily update window (local time) ---------------------------------------------------
MAINTENANCE_WINDOW_START = env_str("MAINTENANCE_WINDOW_START", "06:30")
MAINTENANCE_WINDOW_END = env_str("MAINTENANCE_WINDOW_END", "07:00")
MAINTENANCE_ANNOUNCE_AT = env_str("MAINTENANCE_ANNOUNCE_AT", "14:00")  # the day before
MAINTENANCE_GRACE_MINUTES = 10  # a window not started this late is missed, not run late
MAINTENANCE_STOP_STARTING_MINUTES = 3  # no new school this close to the end
MAINTENANCE_WORKERS = 2  # parallel schools, one database connection each

# --- Teacher app API (Django REST framework) -------------------------------------------------
# Tokens live in each school's schema, so a token only opens the school that issued it.
# Every endpoint declares its module and action; the matrix permission refuses the rest.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenant_apps.api.authentication.SchoolTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tenant_apps.access.drf.MatrixPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Presentis teacher app API",
    "DESCRIPTION": "Groups, students, absence, logbook and notices of one school.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
