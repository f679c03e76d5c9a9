"""The throw-away method's manifest: every field the method core reads is set."""

from celery.schedules import crontab
from django.utils.functional import lazystr

from ratusz.consultations.core.registry import Action, Method, PortalLink, StaffNavEntry

KEY = "plugin_test"
PACKAGE = "tests.consultations.plugin_method"

MANIFEST = Method(
    key=KEY,
    # lazystr: a Promise like a real label, with no msgid for the catalogues to carry.
    label=lazystr("Plug-in test method"),
    actions=frozenset({Action.ANSWER}),
    capabilities=frozenset(),
    default_options={"colour": "green"},
    panel=f"{PACKAGE}.views.panel",
    settings_form=f"{PACKAGE}.views.PhaseSettingsForm",
    staff_url_name="backoffice:plugin-test-phase",
    url_prefix="plugin-test/",
    resident_urls=f"{PACKAGE}.public_urls",
    portal_nav=(PortalLink("plugin_test:index", lazystr("Plug-in test pages")),),
    staff_urls=f"{PACKAGE}.staff_urls",
    staff_nav=(StaffNavEntry("backoffice:plugin-test", lazystr("Plug-in test area")),),
    periodic_tasks={
        "plugin-test-tick": {
            "task": "tenants.fan_out",
            "schedule": crontab(minute=42),
            "args": ("plugin_test.tick",),
        },
    },
)
