"""The manifest of events: meetings residents register for, with a waiting list."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Method, PortalLink, StaffNavEntry

MANIFEST = Method(
    key="events",
    label=_("Events"),
    actions=frozenset({Action.ATTEND}),
    capabilities=frozenset(),
    default_options={"waiting_list": True},
    panel="ratusz.consultations.methods.events.panels.render",
    settings_form="ratusz.consultations.methods.events.forms.PhaseSettingsForm",
    staff_url_name="backoffice:events-phase",
    feature="events",
    feature_label=_("Events"),
    personal_data="ratusz.consultations.methods.events.personal_data.DECLARATIONS",
    seed="ratusz.consultations.methods.events.seeding.seed_phase",
    capture="ratusz.consultations.methods.events.seeding.capture_phase",
    metrics=("ratusz.consultations.methods.events.reporting.REGISTRATIONS",),
    exports=("ratusz.consultations.methods.events.reporting.DATASET",),
    url_prefix="events/",
    resident_urls="ratusz.consultations.methods.events.public_urls",
    portal_nav=(PortalLink("events:list", _("Events")),),
    staff_urls="ratusz.consultations.methods.events.staff_urls",
    staff_nav=(StaffNavEntry("backoffice:events", _("Events")),),
    periodic_tasks={
        # Every hour, in every live city, the reminders of events starting within a day are
        # queued; each registration is reminded once (`Registration.reminded_at`).
        "events-reminders": {
            "task": "tenants.fan_out",
            "schedule": crontab(minute=20),
            "args": ("events.send_reminders",),
        },
    },
)
