"""Django settings for Ratusz.

Values come from `ratusz.settings.env`, the only module that reads the environment. With nothing
configured, Ratusz runs on embedded defaults (ARCHITECTURE.md §6).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.billing.schedule import BEAT_SCHEDULE as BILLING_BEAT_SCHEDULE
from ratusz.consultations.participation.notifications.schedule import (
    BEAT_SCHEDULE as NOTIFICATIONS_BEAT_SCHEDULE,
)
from ratusz.consultations.people.schedule import BEAT_SCHEDULE as PEOPLE_BEAT_SCHEDULE
from ratusz.consultations.reports.schedule import BEAT_SCHEDULE as REPORTS_BEAT_SCHEDULE
from ratusz.platform.schedule import BEAT_SCHEDULE as PLATFORM_BEAT_SCHEDULE
from ratusz.settings import env
from ratusz.settings.components import (
    cache_settings,
    celery_settings,
    content_security_policy,
    database_settings,
    email_settings,
    storage_settings,
)
from ratusz.tenants.schedule import BEAT_SCHEDULE as TENANTS_BEAT_SCHEDULE

BASE_DIR = env.BASE_DIR
DATA_DIR = env.DATA_DIR
ENVIRONMENT = env.ENVIRONMENT
DEBUG = env.DEBUG
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION and len(env.SECRET_KEY) < 50:
    raise RuntimeError("SECRET_KEY must be set to a random string of at least 50 characters.")
SECRET_KEY = env.SECRET_KEY or "ratusz-development-key-not-for-production-0123456789abcdefghij"

BASE_DOMAIN = env.BASE_DOMAIN
PUBLIC_SCHEME = env.PUBLIC_SCHEME
PUBLIC_PORT = env.PUBLIC_PORT
# Host names are checked by the city router against the domain registry (unknown hosts get the
# friendly 404 page), so Django's own host check would only duplicate it for custom domains.
ALLOWED_HOSTS = ["*"]

# --- Apps and their planes -------------------------------------------------------------------
# Each app belongs to exactly one plane (ARCHITECTURE.md §1). Identity and Django's plumbing
# (content types, permissions, sessions, accounts) exist in every schema by design: a city's
# accounts and sessions live in the city's schema, operators' in public. tests/test_planes.py
# keeps this table honest.
CONTROL_PLANE_APPS = [
    "ratusz.tenants",
    "ratusz.platform",
    "ratusz.onboarding",
    "ratusz.billing",
]
CITY_PLANE_APPS = [
    "ratusz.consultations.core",
    "ratusz.consultations.methods.ideation",
    "ratusz.consultations.participation.notifications",
    "ratusz.consultations.participation.moderation",
    "ratusz.consultations.people",
    "ratusz.consultations.branding",
    "ratusz.consultations.reports",
    "ratusz.consultations.campaigns",
    "ratusz.consultations.insight",
    "ratusz.consultations.methods.surveys",
    "ratusz.consultations.methods.polls",
    "ratusz.consultations.methods.voting",
    "ratusz.consultations.methods.proposals",
    "ratusz.consultations.methods.events",
    "ratusz.consultations.methods.volunteering",
]
EVERY_SCHEMA_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "ratusz.accounts",
    # Sign-up, e-mail addresses and two-factor authentication: each city's in its own schema.
    "allauth.account",
    "allauth.mfa",
]
FRAMEWORK_APPS = [  # apps without tables
    "django_tenants",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "allauth",  # templates and template tags of the two allauth apps above
]

# Development data (the demo cities and `seed_demo`), in no plane: no models, no tables, and
# nothing in the product imports it (pyproject.toml's import contracts).
DEV_APPS = ["ratusz.demo"]

SHARED_APPS = ["django_tenants", *CONTROL_PLANE_APPS, *EVERY_SCHEMA_APPS, *FRAMEWORK_APPS[1:]]
TENANT_APPS = [*EVERY_SCHEMA_APPS, *CITY_PLANE_APPS]
# ratusz.tenants comes first so that its management commands (migrate_schemas, migrate) take
# precedence over django-tenants' own.
INSTALLED_APPS = ["ratusz.tenants"] + [
    app for app in dict.fromkeys(SHARED_APPS + TENANT_APPS + DEV_APPS) if app != "ratusz.tenants"
]

TENANT_MODEL = "tenants.City"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# The schema kept at the latest migration state from which new cities are created.
TEMPLATE_SCHEMA_NAME = "ratusz_template"
TENANT_LIMIT_SET_CALLS = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
ROOT_URLCONF = "ratusz.urls_control"
CITY_URLCONF = "ratusz.urls_city"
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # Outermost: a request the database failed (pool exhausted, server restarting) gets a clean
    # 503 page, never a traceback, whichever layer below raised.
    "ratusz.tenants.db.unavailable.DatabaseUnavailableMiddleware",
    "ratusz.tenants.health.HealthCheckMiddleware",
    # Every statement of the request, from routing to the session's save, is limited to
    # DB_STATEMENT_TIMEOUT_MS (health checks above are not; tasks have their own limit).
    "ratusz.tenants.load_shedding.StatementTimeoutMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ratusz.tenants.middleware.CityRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Wraps everything that may answer with personal data (request.user is set further in).
    "ratusz.accounts.no_store.NoStoreMiddleware",
    "ratusz.tenants.middleware.CityLocaleMiddleware",
    # Once the language is known and before any view: a request that waited too long for a
    # thread is refused with 503, one whose client has gone is dropped.
    "ratusz.tenants.load_shedding.LoadSheddingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: what a city's state lets through depends on who asks.
    "ratusz.tenants.middleware.CityLifecycleMiddleware",
    "ratusz.billing.middleware.TrialEndedMiddleware",
    # Staff of a city requiring two factors act as residents until this session used one.
    "ratusz.accounts.middleware.StaffPowersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ratusz.accounts.middleware.PolicyConsentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Innermost: whole pages for visitors not signed in, per city, stale on any change of the
    # city (ratusz.tenants.page_cache); every gate above has let the request through.
    "ratusz.tenants.page_cache.CityPageCacheMiddleware",
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
                "ratusz.tenants.context_processors.city",
                "ratusz.consultations.core.context_processors.maps",
                "ratusz.consultations.participation.notifications.context_processors.unread_notifications",
                "ratusz.consultations.backoffice.context_processors.backoffice",
                "ratusz.billing.context_processors.billing",
                "ratusz.tenants.announcements.city_notices",
                "ratusz.consultations.branding.context_processors.branding",
            ],
        },
    }
]

WSGI_APPLICATION = "ratusz.wsgi.application"
ASGI_APPLICATION = "ratusz.asgi.application"

DATABASES = database_settings()
DB_POOL_MODE = env.DB_POOL_MODE
DB_MAX_SCHEMAS_PER_CONNECTION = env.DB_MAX_SCHEMAS_PER_CONNECTION
DB_BACKEND_MEMORY_MB = env.DB_BACKEND_MEMORY_MB
DB_POOL_SIZE = env.DB_POOL_SIZE
DB_STATEMENT_TIMEOUT_MS = env.DB_STATEMENT_TIMEOUT_MS
DB_TASK_STATEMENT_TIMEOUT_MS = env.DB_TASK_STATEMENT_TIMEOUT_MS
REQUEST_QUEUE_TIMEOUT_S = env.REQUEST_QUEUE_TIMEOUT_S
REQUEST_DROP_DISCONNECTED = env.REQUEST_DROP_DISCONNECTED
REQUEST_DROP_DISCONNECTED_AFTER_S = env.REQUEST_DROP_DISCONNECTED_AFTER_S
TRUST_X_REQUEST_START = env.TRUST_X_REQUEST_START
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = cache_settings()

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Host-only cookies: a session on gdansk.<base> is never sent to another city's subdomain.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# One hash per sign-in and sign-up, ~40 ms of a core (ratusz.accounts.hashers says why); the
# PBKDF2 entry reads the hashes made before, which are re-hashed at their next sign-in.
PASSWORD_HASHERS = [
    "ratusz.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Polish and English are complete; a city may also offer its content in other languages (the
# interface then speaks English in them until a catalogue is added).
LANGUAGES = [
    ("pl", _("Polish")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("de", _("German")),
    ("cs", _("Czech")),
    ("lt", _("Lithuanian")),
]
LOCALE_PATHS = [BASE_DIR / "ratusz" / "locale"]
LANGUAGE_COOKIE_NAME = "ratusz_language"
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Outside production static files come straight from the apps (WhiteNoise's finders), so
# there is no collected folder to serve or to warn about.
STATIC_ROOT = env.STATIC_ROOT if PRODUCTION or env.STATIC_ROOT_ALWAYS else None
STATICFILES_DIRS = [BASE_DIR / "ratusz" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT
STORAGES = storage_settings()
# The largest image accepted from anyone, in pixels (width × height), checked from the file's
# header before it is decoded: 40 million is a 50-megapixel camera's photo cut a little, and
# takes ~160 MB to decode as RGBA.
MAX_IMAGE_PIXELS = 40_000_000
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND, EMAIL_SETTINGS = email_settings()
globals().update(EMAIL_SETTINGS)
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL

globals().update(celery_settings())
# Periodic work: each entry fans a task out to every live city (tenants.fan_out). Participation
# methods declare theirs in their manifests; ratusz/celery.py adds them once Django is set up.
CELERY_BEAT_SCHEDULE = {
    **NOTIFICATIONS_BEAT_SCHEDULE,
    **PEOPLE_BEAT_SCHEDULE,
    **REPORTS_BEAT_SCHEDULE,
    **BILLING_BEAT_SCHEDULE,
    **PLATFORM_BEAT_SCHEDULE,
    **TENANTS_BEAT_SCHEDULE,
}

STRIPE_SECRET_KEY = env.STRIPE_SECRET_KEY
STRIPE_WEBHOOK_SECRET = env.STRIPE_WEBHOOK_SECRET
BILLING_TRIAL_DAYS = env.BILLING_TRIAL_DAYS
BILLING_GRACE_DAYS = env.BILLING_GRACE_DAYS
INGRESS_ADDRESSES = env.INGRESS_ADDRESSES
DNS_NAMESERVERS = env.DNS_NAMESERVERS
DNS_TIMEOUT = env.DNS_TIMEOUT
SPARE_SCHEMAS = env.SPARE_SCHEMAS
SPARE_SCHEMAS_MAX = env.SPARE_SCHEMAS_MAX
SPARE_BUILD_CONNECTIONS = env.SPARE_BUILD_CONNECTIONS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "handled_database_errors": {"()": "ratusz.tenants.db.unavailable.HandledDatabaseErrors"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A database failure or a cancelled statement that became the 503 page is logged once,
        # as a warning, without django.request's traceback.
        "django.request": {"filters": ["handled_database_errors"]},
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True  # check --deploy does not ask; every cookie is HTTPS-only
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

MAP_TILE_URL = env.MAP_TILE_URL
MAP_ATTRIBUTION = env.MAP_ATTRIBUTION

# --- Content-Security-Policy (django-csp; the policy and its reasons: components.py) -----------
# Every environment sends the same policy, so development and the browser tests meet what
# production enforces. Inline scripts need the response's nonce: {{ request.csp_nonce }}.
CONTENT_SECURITY_POLICY = content_security_policy()

# How long a first administrator's invitation link stays valid.
INVITATION_VALID_DAYS = 14

# --- Accounts of residents and city staff (django-allauth; see ratusz.accounts.adapter) --------
# The first decides every password alone, with one hash (ratusz.accounts.backends); the other
# two only keep the sessions signed in through them valid.
AUTHENTICATION_BACKENDS = [
    "ratusz.accounts.backends.PasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "ratusz.accounts.adapter.CityAccountAdapter"
ACCOUNT_FORMS = {"signup": "ratusz.accounts.forms.CitySignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A confirmation link is always sent; unconfirmed accounts may sign in with their password, and
# the rules that need a confirmed address (ratusz.accounts.rules.has_confirmed_email) say so.
# Sign-up alone behaves as "mandatory" (ratusz.accounts.adapter.SignupConfirmsFirstStage): it
# never signs in, the confirmation link does (the "confirm-email" door).
ACCOUNT_EMAIL_VERIFICATION = "optional"
# Confirmation keys are stored in the city's schema: a signed key would only carry the address'
# id, which means another address in another city's schema.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
# Nobody learns from a page whether an address has an account: a password reset for an unknown
# address answers like one for a known address, and a sign-up with a taken address like one
# with a new address ("check your e-mail"); the e-mail tells the address' owner.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = PUBLIC_SCHEME
MFA_ADAPTER = "ratusz.accounts.adapter.CityMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
