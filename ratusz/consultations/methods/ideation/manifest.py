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
)  # fmt: skip
