"""Input of the notification pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.participation.notifications.models import Frequency


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail me about ideas I am involved in"),
        help_text=_(
            "Ideas you wrote, commented on, reacted to or follow. Notifications always appear "
            "on your notifications page."
        ),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often we may e-mail you.")},
    )
    campaigns = forms.BooleanField(
        label=_("E-mail me the city's news about consultations"),
        help_text=_("Announcements the city sends to residents, such as a new consultation."),
        required=False,
    )
