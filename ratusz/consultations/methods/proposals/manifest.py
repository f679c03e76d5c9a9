"""The manifest of proposals: citizen initiatives that collect support within a deadline."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Method, StaffNavEntry

MANIFEST = Method(
    key="proposals",
    label=_("Proposals"),
    actions=frozenset({Action.POST, Action.VOTE}),
    capabilities=frozenset(),
    default_options={"threshold": 100, "days": 90},
    panel="ratusz.consultations.methods.proposals.panels.render",
    settings_form="ratusz.consultations.methods.proposals.forms.PhaseSettingsForm",
    staff_url_name="backoffice:proposals-phase",
    feature="proposals",
    feature_label=_("Proposals"),
    personal_data="ratusz.consultations.methods.proposals.personal_data.DECLARATIONS",
    metrics=(
        "ratusz.consultations.methods.proposals.reporting.PROPOSALS",
        "ratusz.consultations.methods.proposals.reporting.SUPPORTS",
    ),
    exports=("ratusz.consultations.methods.proposals.reporting.DATASET",),
    url_prefix="proposals/",
    resident_urls="ratusz.consultations.methods.proposals.public_urls",
    staff_urls="ratusz.consultations.methods.proposals.staff_urls",
    staff_nav=(StaffNavEntry("backoffice:proposals", _("Proposals")),),
    periodic_tasks={
        # Every hour, in every live city, proposals that reached their threshold or their
        # deadline are closed and their authors and supporters told.
        "proposals-close-due": {
            "task": "tenants.fan_out",
            "schedule": crontab(minute=10),
            "args": ("proposals.close_due_proposals",),
        },
    },
)
