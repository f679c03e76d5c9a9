"""What the apps hold about a person, declared per model: the "download my data" archive and
account deletion are built from these declarations, and a test walks every model that refers
to an account and fails on one that no declaration covers.

Accounts never imports the other apps. An app whose model refers to an account (a foreign key,
one-to-one or many-to-many field to the user model) declares, in its `ready()`:

- `register_personal_data(PersonalDataKind(name="ideas", model="ideation.Idea",
  person_fields=("author",), on_deletion=OnDeletion.ANONYMISE, ...))`: the rows of that model
  naming the person go into the archive as `ideas.json` and `ideas.csv` (one row each, readable:
  related objects by their name, choices by their label), with the person's uploads that the
  rows hold (`files`) under `files/ideas/`; when the account is deleted they are deleted, or kept
  with the person's fields emptied (`on_deletion`), after the kind's own `before_deletion` step
  (e.g. giving a seat at an event to whoever waits);
- or, where the rows are not the person's data, `register_personal_data(NotPersonalData(
  model=..., fields=(...), reason=...))` with the reason (e.g. which staff member generated
  voting codes: an audit of staff work, emptied by the foreign key when the account goes).

Participation methods declare their kinds in their manifest (`Method.personal_data`)
and the method registry registers them.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ratusz.spreadsheets import SafeCSVWriter

if TYPE_CHECKING:
    from ratusz.accounts.models import User

PROFILE_NAME = "profile"
README_NAME = "README.txt"
FILES_FOLDER = "files"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class OnDeletion(StrEnum):
    """What happens to a kind's rows when the person deletes their account."""

    # The rows go with the account (a reaction, a follow, a registration).
    DELETE = "delete"
    # The rows stay for everyone else (an idea others commented on, a counted vote) with every
    # field naming the person emptied; `before_deletion` scrubs anything else that could.
    ANONYMISE = "anonymise"


RowDescriber = Callable[[Any], Mapping[str, Any]]
FilesOf = Callable[[Any], Iterable[FieldFile]]
DeletionStep = Callable[["User"], None]


@dataclass(frozen=True)
class PersonalDataKind:
    name: str  # the archive's file names: <name>.json, <name>.csv, files/<name>/
    label: Promise | str  # what the files hold, for the archive's README ("Your ideas")
    model: str  # "app_label.ModelName"
    person_fields: tuple[str, ...]  # the fields of `model` that refer to the person
    on_deletion: OnDeletion
    # (row) -> the row as the person reads it; by default every field but `hidden_fields`,
    # related rows by their name.
    describe: RowDescriber | None = None
    # Fields left out of the default description: secrets, internal keys, staff members' names.
    hidden_fields: tuple[str, ...] = ()
    # (row) -> the person's uploads the row holds or leads to (an idea's photos).
    files: FilesOf | None = None
    # Models whose files `files` covers (for the walk over models holding uploads).
    file_models: tuple[str, ...] = ()
    # Runs in the deletion's transaction before any kind's rows are deleted or anonymised.
    before_deletion: DeletionStep | None = None
    order_by: tuple[str, ...] = ("pk",)

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def rows(self, user: User) -> models.QuerySet[Any]:
        """Every row of this kind that refers to `user` (through any of its person fields)."""
        condition = Q()
        for name in self.person_fields:
            condition |= Q(**{name: user})
        manager = self.model_class()._default_manager
        # Through a subquery, so that joins of many-to-many fields never repeat a row.
        matching = manager.filter(condition).values("pk")
        return manager.filter(pk__in=matching).order_by(*self.order_by)


@dataclass(frozen=True)
class NotPersonalData:
    model: str
    fields: tuple[str, ...]
    reason: str


Declaration = PersonalDataKind | NotPersonalData

_kinds: dict[str, PersonalDataKind] = {}
_not_personal: dict[tuple[str, str], NotPersonalData] = {}


def register_personal_data(*declarations: Declaration) -> None:
    """Declare kinds of personal data, and fields whose rows are not personal data (with the
    reason). Registering the same declaration again does nothing; another declaration under a
    taken name is an error."""
    for declaration in declarations:
        if isinstance(declaration, NotPersonalData):
            if not declaration.reason.strip():
                raise ValueError(f"{declaration.model}: say why these rows are not personal data")
            for name in declaration.fields:
                _not_personal[(declaration.model, name)] = declaration
            continue
        kind = declaration
        if not _NAME.match(kind.name) or kind.name in {PROFILE_NAME, FILES_FOLDER}:
            raise ValueError(f"{kind.name!r} cannot name a personal data file")
        registered = _kinds.get(kind.name)
        if registered is not None and registered != kind:
            raise ValueError(f"personal data named {kind.name!r} is already registered")
        _kinds[kind.name] = kind


def unregister_personal_data(*declarations: Declaration) -> None:
    for declaration in declarations:
        if isinstance(declaration, NotPersonalData):
            for name in declaration.fields:
                _not_personal.pop((declaration.model, name), None)
        else:
            _kinds.pop(declaration.name, None)


def personal_data_kinds() -> list[PersonalDataKind]:
    return [_kinds[name] for name in sorted(_kinds)]


def not_personal_data() -> dict[tuple[str, str], NotPersonalData]:
    return dict(_not_personal)


# --- coverage ----------------------------------------------------------------------------------


def _account_fields(model: type[models.Model]) -> list[Any]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        f
        for f in [*model._meta.local_fields, *model._meta.local_many_to_many]
        if f.is_relation and f.related_model is user_model
    ]


def undeclared_account_fields(candidates: Iterable[type[models.Model]]) -> list[str]:
    """ "app.Model.field" of every field of `candidates` that refers to an account (foreign key,
    one-to-one, many-to-many) and that no declaration covers. Many-to-many tables Django makes
    by itself are covered by the field that made them."""
    declared = {(kind.model, name) for kind in _kinds.values() for name in kind.person_fields}
    declared |= set(_not_personal)
    missing = []
    for model in candidates:
        if model._meta.auto_created or model._meta.proxy:
            continue
        for f in _account_fields(model):
            if (model._meta.label, f.name) not in declared:
                missing.append(f"{model._meta.label}.{f.name}")
    return missing


def undeclared_upload_models(candidates: Iterable[type[models.Model]]) -> list[str]:
    """Models of `candidates` that hold files and belong (by a foreign key) to a kind's rows,
    but whose files no kind puts in the archive (`file_models`)."""
    # Rows a person owns (an author's idea, a respondent's response), not rows they are only
    # among the members of (a group, a project's managers: many-to-many).
    personal = {
        kind.model
        for kind in _kinds.values()
        if not any(
            kind.model_class()._meta.get_field(name).many_to_many for name in kind.person_fields
        )
    }
    exported = {label for kind in _kinds.values() for label in kind.file_models}
    missing = []
    for model in candidates:
        if not any(isinstance(f, models.FileField) for f in model._meta.local_fields):
            continue
        owners = {
            f.related_model._meta.label
            for f in model._meta.local_fields
            if f.many_to_one and f.related_model is not None and f.related_model != "self"
        }
        if owners & personal and model._meta.label not in exported:
            missing.append(model._meta.label)
    return missing


# --- the archive ----------------------------------------------------------------------------------


def _readable(value: Any) -> Any:
    if isinstance(value, models.Model):
        # A project, a phase, an event...: their title in the person's language (or the first
        # one written), not their slug.
        title = getattr(value, "title", None)
        if isinstance(title, dict) and title:
            return title.get(translation.get_language() or "") or next(iter(title.values()))
        return title if isinstance(title, str) and title else str(value)
    if isinstance(value, FieldFile):
        return posixpath.basename(value.name or "") if value else ""
    return value


def describe_row(row: models.Model, *, hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every field of a row (but `hidden`) as a person reads it: related rows by their name,
    choices by their label, many-to-many fields as lists of names."""
    described: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.name in hidden:
            continue
        if field.choices:
            described[field.name] = str(getattr(row, f"get_{field.name}_display")())
        else:
            described[field.name] = _readable(getattr(row, field.name))
    for field in row._meta.many_to_many:
        if field.name in hidden:
            continue
        described[field.name] = [str(related) for related in getattr(row, field.name).all()]
    return described


def _file_entry(kind: PersonalDataKind, row: models.Model, upload: FieldFile) -> str:
    return f"{FILES_FOLDER}/{kind.name}/{row.pk}-{posixpath.basename(upload.name or '')}"


def kind_rows(
    kind: PersonalDataKind, user: User
) -> list[tuple[dict[str, Any], dict[str, FieldFile]]]:
    """Each row of `kind` for the archive, with the uploads it brings (archive path: file)."""
    found = []
    for row in kind.rows(user):
        described = dict(
            kind.describe(row) if kind.describe else describe_row(row, hidden=kind.hidden_fields)
        )
        described = {"id": row.pk, **{k: v for k, v in described.items() if k != "id"}}
        uploads = {
            _file_entry(kind, row, f): f for f in (kind.files(row) if kind.files else ()) if f
        }
        if kind.files is not None:
            described["files"] = sorted(uploads)
        found.append((described, uploads))
    return found


def _dump(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)


def _csv(rows: list[dict[str, Any]]) -> str:
    """The same rows as a table: one column per field, nested values written as JSON. With a
    byte order mark, so that spreadsheets open Polish letters right."""
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)  # her own texts must not run as formulas either
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if value is None:
                value = ""
            elif isinstance(value, list | dict):
                value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
            elif not isinstance(value, str):  # dates, decimals: as in the JSON file
                value = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
            cells.append(value)
        writer.writerow(cells)
    return "\ufeff" + buffer.getvalue()


def _readme(kinds: list[PersonalDataKind]) -> str:
    lines = [
        _("Your data in this city's consultation portal."),
        "",
        _("profile.json: your account (e-mail address, name, role, language, when you joined)."),
        _(
            "Every other kind of data is in two files with the same content: a .json file for "
            "programs and a .csv file for spreadsheets. The folder files/ holds the files you "
            "uploaded (photos, attachments, answers to survey questions)."
        ),
        "",
    ]
    lines += [f"{kind.name}.json, {kind.name}.csv: {kind.label}" for kind in kinds]
    return "\n".join(lines) + "\n"


def build_archive(*, profile: dict[str, Any], user: User) -> bytes:
    """A ZIP with profile.json, a README, <name>.json and <name>.csv per kind of personal data
    and the person's uploads under files/<name>/, in the person's language."""
    kinds = personal_data_kinds()
    buffer = io.BytesIO()
    # The person's own language when they chose one, else the page's (the request's).
    language = translation.override(user.language) if user.language else nullcontext()
    with language, zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, _readme(kinds))
        archive.writestr(f"{PROFILE_NAME}.json", _dump(profile))
        for kind in kinds:
            rows = kind_rows(kind, user)
            described = [row for row, _uploads in rows]
            archive.writestr(f"{kind.name}.json", _dump(described))
            archive.writestr(f"{kind.name}.csv", _csv(described))
            for _row, uploads in rows:
                for path, upload in uploads.items():
                    with upload.open("rb") as handle:
                        archive.writestr(path, handle.read())
    return buffer.getvalue()


# --- deletion -------------------------------------------------------------------------------------


def erase_personal_data(user: User) -> None:
    """Delete or anonymise every declared kind's rows of `user`, inside the caller's
    transaction: first every kind's own step (`before_deletion`), then the rows."""
    kinds = personal_data_kinds()
    for kind in kinds:
        if kind.before_deletion is not None:
            kind.before_deletion(user)
    for kind in kinds:
        model = kind.model_class()
        if kind.on_deletion == OnDeletion.DELETE:
            kind.rows(user).delete()
            continue
        for name in kind.person_fields:
            field = model._meta.get_field(name)
            if field.many_to_many:
                for row in model._default_manager.filter(**{name: user}):
                    getattr(row, name).remove(user)
            else:
                model._default_manager.filter(**{name: user}).update(**{name: None})
