"""Validation of what staff send in the project builder: the only place input becomes errors.

Content a city writes has one field per city language (`title_pl`, `title_en`...); the first
language, the city's default, is required where the value is. Phase settings are built from
the participation method's declaration in the registry, never from its name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.features import FeatureNotAllowed, check_feature_on
from ratusz.consultations.core.models import (
    Area,
    Folder,
    Phase,
    Project,
    ResidentGroup,
    Topic,
    Visibility,
)
from ratusz.consultations.core.registry import (
    ACTION_LABELS,
    FIELD_RULES,
    IDEA_FIELDS,
    REACTION_MODES,
    WHO_CHOICES,
    Action,
    all_methods,
    get_method,
)
from ratusz.consultations.core.rules import action_rule
from ratusz.consultations.core.selectors import assignable_managers
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.forms import TopicsField, check_image

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# Addresses the builder's own pages use (/admin/projects/new/).
RESERVED_SLUGS = {"new"}


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class TranslatedFields(forms.Form):
    """A form with one field per city language for each piece of text a city writes."""

    def __init__(
        self, *args: Any, languages: tuple[str, ...], default_language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The default language first: it is the one every text must have.
        self.languages = (default_language, *[c for c in languages if c != default_language])
        self.default_language = default_language

    def add_translated(
        self,
        prefix: str,
        label: Any,
        *,
        required: bool,
        max_length: int,
        textarea: bool = False,
        initial: dict[str, str] | None = None,
    ) -> None:
        for code in self.languages:
            field = forms.CharField(
                label=_("%(what)s (%(language)s)")
                % {"what": label, "language": language_name(code)},
                max_length=max_length,
                required=required and code == self.default_language,
                widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
                initial=(initial or {}).get(code, ""),
            )
            field.widget.attrs["lang"] = code
            self.fields[f"{prefix}_{code}"] = field

    def texts(self, prefix: str) -> dict[str, str]:
        return {
            code: (self.cleaned_data.get(f"{prefix}_{code}") or "").strip()
            for code in self.languages
        }


class _NamedChoice:
    """Choices labelled with their name in the current language (else the city's default)."""

    default_language = "pl"

    def label_from_instance(self, obj: Any) -> str:
        return translated(obj.name, self.default_language) or str(obj)


class AreaField(_NamedChoice, forms.ModelChoiceField):
    pass


class FolderField(forms.ModelChoiceField):
    default_language = "pl"

    def label_from_instance(self, obj: Any) -> str:
        return translated(obj.title, self.default_language) or str(obj)


class ManagersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else str(obj.email)


def _slug_field() -> forms.SlugField:
    return forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_(
            "The end of the page's address: lower-case letters, digits and hyphens, "
            "e.g. park-nad-motlawa."
        ),
    )


class ProjectForm(TranslatedFields):
    slug = _slug_field()
    cover_image = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("A JPEG, PNG or WebP image, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    topics = TopicsField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area = AreaField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("The whole city"),
    )
    folder = FolderField(
        label=_("Folder"),
        queryset=Folder.objects.all(),
        required=False,
        empty_label=_("No folder"),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the project"),
        choices=Visibility.choices,
        initial=Visibility.EVERYONE,
        widget=forms.RadioSelect,
    )
    visible_to = forms.ModelMultipleChoiceField(
        label=_("Groups that can see it"),
        queryset=ResidentGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only used when the project is visible to chosen groups."),
    )
    managers = ManagersField(
        label=_("Project managers"),
        queryset=assignable_managers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They can edit this project and answer its residents."),
    )

    def __init__(
        self,
        *args: Any,
        project: Project | None = None,
        can_assign_managers: bool = False,
        **kwargs: Any,
    ) -> None:
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "slug": project.slug,
                "topics": list(project.topics.all()),
                "area": project.area,
                "folder": project.folder,
                "visibility": project.visibility,
                "visible_to": list(project.visible_to.all()),
                "managers": list(project.managers.all()),
            }
        super().__init__(*args, **kwargs)
        self.project = project
        self.add_translated(
            "title",
            _("Title"),
            required=True,
            max_length=200,
            initial=project.title if project else None,
        )
        self.add_translated(
            "description",
            _("Description"),
            required=False,
            max_length=50000,
            textarea=True,
            initial=project.description if project else None,
        )
        self.add_translated(
            "cover_alt",
            _("What the cover image shows"),
            required=False,
            max_length=300,
            initial=project.cover_alt if project else None,
        )
        for name in ("topics", "area"):
            field = self.fields[name]
            assert isinstance(field, TopicsField | AreaField)
            field.default_language = self.default_language
        folder = self.fields["folder"]
        assert isinstance(folder, FolderField)
        folder.default_language = self.default_language
        if project is not None:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("The address stays as it is once the project exists.")
        if project is None or not project.cover_image:
            del self.fields["remove_cover"]
        if not can_assign_managers:
            del self.fields["managers"]
        if not Topic.objects.exists():
            del self.fields["topics"]
        if not Area.objects.exists():
            del self.fields["area"]
        if not Folder.objects.exists():
            del self.fields["folder"]
        order = ["slug"]
        order += [f"title_{c}" for c in self.languages]
        order += [f"description_{c}" for c in self.languages]
        order += ["cover_image", "remove_cover"]
        order += [f"cover_alt_{c}" for c in self.languages]
        self.order_fields(order)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if self.project is None and (
            slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists()
        ):
            raise forms.ValidationError(
                _("Another project already uses this address; choose another one.")
            )
        return slug

    def clean_cover_image(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("cover_image")
        if upload:
            check_image(upload)
        return upload or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") == Visibility.GROUPS and not data.get("visible_to"):
            self.add_error(
                "visible_to",
                _("Choose at least one group, or make the project visible to everyone."),
            )
        has_cover = bool(data.get("cover_image")) or bool(
            self.project and self.project.cover_image and not data.get("remove_cover")
        )
        alt_field = f"cover_alt_{self.default_language}"
        if has_cover and not (data.get(alt_field) or "").strip() and alt_field not in self.errors:
            self.add_error(
                alt_field,
                _("Describe the cover image in a few words for people who cannot see it."),
            )
        return data


class FolderForm(TranslatedFields):
    slug = _slug_field()

    def __init__(self, *args: Any, folder: Folder | None = None, **kwargs: Any) -> None:
        if folder is not None and "initial" not in kwargs:
            kwargs["initial"] = {"slug": folder.slug}
        super().__init__(*args, **kwargs)
        self.folder = folder
        self.add_translated(
            "title",
            _("Title"),
            required=True,
            max_length=200,
            initial=folder.title if folder else None,
        )
        self.add_translated(
            "description",
            _("Description"),
            required=False,
            max_length=20000,
            textarea=True,
            initial=folder.description if folder else None,
        )
        if folder is not None:
            self.fields["slug"].disabled = True

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if self.folder is None and (
            slug in RESERVED_SLUGS or Folder.objects.filter(slug=slug).exists()
        ):
            raise forms.ValidationError(
                _("Another folder already uses this address; choose another one.")
            )
        return slug


def _datetime_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Give the date and time as YYYY-MM-DD HH:MM.")},
    )


class MethodField(forms.ChoiceField):
    """A phase's participation method. A method the city cannot use now (outside its plan, or
    switched off under Features) is not offered; posted anyway, it is refused with that reason
    instead of Django's bare "not one of the available choices"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusals: dict[str, str] = {}

    def validate(self, value: Any) -> None:
        if value in self.refusals:
            raise forms.ValidationError(self.refusals[value], code="feature_off")
        super().validate(value)


class PhaseForm(TranslatedFields):
    method = MethodField(
        label=_("Participation method"),
        help_text=_("What residents do in this phase."),
    )
    starts_at = _datetime_field(_("Start"), required=True)
    ends_at = _datetime_field(
        _("End"),
        required=False,
        help_text=_("Leave it empty for a phase without an end (only the last phase)."),
    )

    def __init__(self, *args: Any, phase: Phase | None = None, **kwargs: Any) -> None:
        if phase is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "method": phase.method,
                "starts_at": phase.starts_at,
                "ends_at": phase.ends_at,
            }
        super().__init__(*args, **kwargs)
        method = self.fields["method"]
        assert isinstance(method, MethodField)
        # Methods the city may use now: its plan includes them and the city switched them on
        # (and the phase's own, which it keeps when the feature is switched off later).
        offered: list[tuple[str, object]] = []
        refusals: dict[str, str] = {}  # a new dict: fields are copied shallowly per form
        for m in all_methods():
            if m.feature and not (phase is not None and m.key == phase.method):
                try:
                    check_feature_on(m.feature)
                except FeatureNotAllowed as refusal:
                    refusals[m.key] = refusal.message
                    continue
            offered.append((m.key, m.label))
        method.choices = offered
        method.refusals = refusals
        self.add_translated(
            "title",
            _("Title"),
            required=True,
            max_length=200,
            initial=phase.title if phase else None,
        )
        self.add_translated(
            "description",
            _("Description"),
            required=False,
            max_length=20000,
            textarea=True,
            initial=phase.description if phase else None,
        )
        self.order_fields(
            [f"title_{c}" for c in self.languages]
            + ["method", "starts_at", "ends_at"]
            + [f"description_{c}" for c in self.languages]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: datetime | None = data.get("starts_at")
        ends: datetime | None = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A phase must end after it starts."))
        return data


class PhaseSettingsForm(forms.Form):
    """Per action of the phase's method: open or not, and who may take it; then the settings
    the method declares (reaction mode, anonymous posting, the fields of the idea form)."""

    def __init__(self, *args: Any, phase: Phase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase = phase
        self.method = get_method(phase.method)
        self.actions: list[Action] = self.method.ordered_actions()
        groups = ResidentGroup.objects.all()
        for action in self.actions:
            rule = action_rule(phase, action)
            what = ACTION_LABELS[action]
            self.fields[f"open_{action}"] = forms.BooleanField(
                label=_("Residents can %(action)s in this phase") % {"action": what},
                required=False,
                initial=rule["open"],
            )
            self.fields[f"who_{action}"] = forms.ChoiceField(
                label=_("Who may %(action)s") % {"action": what},
                choices=list(WHO_CHOICES.items()),
                initial=rule["who"],
                widget=forms.RadioSelect,
                help_text=_("A new phase starts with: %(who)s.")
                % {"who": WHO_CHOICES[self.method.default_who.get(str(action), "everyone")]},
            )
            self.fields[f"groups_{action}"] = forms.ModelMultipleChoiceField(
                label=_("Groups that may %(action)s") % {"action": what},
                queryset=groups,
                required=False,
                initial=rule["groups"],
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Only used when chosen groups may take part."),
            )
        options = {**self.method.default_options, **phase.options}
        if self.method.has_setting("reaction_mode"):
            self.fields["reaction_mode"] = forms.ChoiceField(
                label=_("How residents react to ideas"),
                choices=list(REACTION_MODES.items()),
                initial=options["reaction_mode"],
                widget=forms.RadioSelect,
            )
        if self.method.has_setting("anonymous_posting"):
            self.fields["anonymous_posting"] = forms.BooleanField(
                label=_("Residents may post without their name"),
                required=False,
                initial=bool(options["anonymous_posting"]),
            )
        fields = options.get("fields") or {}
        for name in self.method.idea_fields():
            self.fields[f"field_{name}"] = forms.ChoiceField(
                label=str(IDEA_FIELDS[name]),
                choices=list(FIELD_RULES.items()),
                initial=fields.get(name, "optional"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for action in self.actions:
            if data.get(f"who_{action}") == "groups" and not data.get(f"groups_{action}"):
                self.add_error(
                    f"groups_{action}",
                    _("Choose at least one group that may %(action)s.")
                    % {"action": ACTION_LABELS[action]},
                )
        return data

    def action_sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (
                ACTION_LABELS[action],
                [self[f"open_{action}"], self[f"who_{action}"], self[f"groups_{action}"]],
            )
            for action in self.actions
        ]

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("reaction_mode", "anonymous_posting") if n in self.fields]

    def idea_field_fields(self) -> list[forms.BoundField]:
        return [self[f"field_{n}"] for n in self.method.idea_fields()]

    def permissions(self) -> dict[str, dict[str, Any]]:
        return {
            str(action): {
                "open": bool(self.cleaned_data.get(f"open_{action}")),
                "who": self.cleaned_data[f"who_{action}"],
                "groups": [g.pk for g in self.cleaned_data.get(f"groups_{action}") or []],
            }
            for action in self.actions
        }

    def options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if "reaction_mode" in self.fields:
            options["reaction_mode"] = self.cleaned_data["reaction_mode"]
        if "anonymous_posting" in self.fields:
            options["anonymous_posting"] = bool(self.cleaned_data.get("anonymous_posting"))
        idea_fields = self.method.idea_fields()
        if idea_fields:
            options["fields"] = {n: self.cleaned_data[f"field_{n}"] for n in idea_fields}
        return options


class CopyProjectForm(forms.Form):
    slug = _slug_field()
    with_inputs = forms.BooleanField(
        label=_("Also copy what residents wrote (ideas, comments and reactions)"),
        required=False,
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another project already uses this address; choose another one.")
            )
        return slug


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
