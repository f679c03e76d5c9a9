"""Projects and folders: their texts, addresses, areas and managers; copying and moving them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Area, Folder, Project, ResidentGroup, Topic, Visibility
from ratusz.consultations.core.selectors import assignable_managers
from ratusz.consultations.core.translated_forms import TranslatedFields
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.forms import TopicsField, check_image

# Addresses the builder's own pages use (/admin/projects/new/).
RESERVED_SLUGS = {"new"}


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
