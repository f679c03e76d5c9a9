"""The manifest of ideation: residents post ideas, comment on them and react to them."""

from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.registry import Action, Capability, Method

MANIFEST = Method(
    key="ideation",
    label=_("Ideas"),
    actions=frozenset({Action.POST, Action.COMMENT, Action.REACT}),
    capabilities=frozenset({Capability.IDEAS, Capability.MAP, Capability.FILES}),
    default_options={
        # "likes" or "likes_dislikes"
        "reaction_mode": "likes",
        "anonymous_posting": False,
        # Fields of the idea form: each "off", "optional" or "required".
        "fields": {"images": "optional", "attachments": "optional", "location": "optional",
                   "topics": "optional"},
    },
    personal_data="ratusz.consultations.methods.ideation.personal_data.DECLARATIONS",
    url_prefix="",  # its paths carry their own prefixes (projects/<slug>/ideas/new/, ideas/...)
    resident_urls="ratusz.consultations.methods.ideation.public_urls",
    usage_counts="ratusz.consultations.methods.ideation.selectors.usage_counts",
    copy_inputs="ratusz.consultations.methods.ideation.services.copy_ideas",
    metrics=(
        "ratusz.consultations.methods.ideation.reporting.IDEAS",
        "ratusz.consultations.methods.ideation.reporting.COMMENTS",
        "ratusz.consultations.methods.ideation.reporting.REACTIONS",
    ),
    exports=(
        "ratusz.consultations.methods.ideation.reporting.IDEA_DATASET",
        "ratusz.consultations.methods.ideation.reporting.COMMENT_DATASET",
        "ratusz.consultations.methods.ideation.reporting.REACTION_DATASET",
    ),
)  # fmt: skip
