"""One settings module, read from the environment (see .env.example).

Defaults are safe for the demo: SQLite, console mail, DEBUG off.
"""

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# PRODUCTION switches on the deploy checks: secure cookies, HSTS, no demo password.
PRODUCTION = env_bool("PRODUCTION")
SECRET_KEY = env("SECRET_KEY", "demo-only-insecure-key-change-me" if not PRODUCTION else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION is on.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "texnopark.core.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rules",
    "texnopark.core",
    "texnopark.accounts",
    "texnopark.network",
    "texnopark.partners",
    "texnopark.bookings",
    "texnopark.training",
    "texnopark.ventures",
    "texnopark.intake",
    "texnopark.reports",
    "texnopark.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "texnopark.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "texnopark.api.middleware.ApiErrorShapeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "texnopark.core.context_processors.languages",
            ],
            "builtins": ["texnopark.core.templatetags.texnopark"],
        },
    }
]

# Databases: SQLite by default, any DATABASE_URL otherwise (postgres://… for production).
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'texnopark.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a read-then-write transaction takes the write lock up front
        # instead of failing with "database is locked" when it upgrades.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    # Persistent connections: opening one per request makes pages several times slower.
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "texnopark.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if PRODUCTION:
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "texnopark.accounts.validators.NotTheDemoPasswordValidator"})
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "network:home"

# Languages. Django ships no uz_Cyrl catalogue and knows no "uz-cyrl": both are ours.
LANGUAGE_CODE = env("LANGUAGE_CODE", "uz")
LANGUAGES = [
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ru", "Русский"),
    ("en", "English"),
    ("ko", "한국어"),
]
LANG_INFO.setdefault(
    "uz-cyrl", {"bidi": False, "code": "uz-cyrl", "name": "Uzbek (Cyrillic)", "name_local": "Ўзбекча"}
)
# Ours first; then Django's own strings in Uzbek (fixed) and Uzbek Cyrillic, which must win over Django's uz.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "texnopark" / "core" / "locale"]
FORMAT_MODULE_PATH = ["texnopark.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Tashkent")
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Texnopark <noreply@texnopark.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails are absolute.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# Rate limits key on the client's address: behind a proxy, the one it sends in X-Real-IP.
RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP" if env_bool("BEHIND_PROXY") else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

DEMO_PASSWORD = "texnopark-demo"

# API lists: 50 rows a page by default, ?page_size= up to 200.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
BOOKING_LOCKS = True  # the pool row lock; only the race tests switch it off
TRAINING_LOCKS = True  # the session row lock; only the race tests switch it off

# Intake: a call's commission has an odd number of members, at least this many.
INTAKE_MIN_COMMISSION = int(env("INTAKE_MIN_COMMISSION", "3"))
INTAKE_RETURN_DAYS = 7  # a returned application may be fixed within this many days
INTAKE_LOCKS = True  # the application/call row locks; only the race tests switch them off
# Quarterly reports are due this many days after the quarter ends; reminders go this many days before.
REPORT_DUE_DAYS = 25
REPORT_LOCKS = True  # the report/residency row locks; only the race tests switch them off
REPORT_REMIND_DAYS = (7, 1)
