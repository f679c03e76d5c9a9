"""Back-office pages of a voting phase: the ideas on the ballot and their costs, paper votes,
one-time codes, results and their export; and the city's census list (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.accounts.models import User
from ratusz.consultations.core.access import (
    administrator_required,
    managed_projects,
    refuse_writes_to_read_only,
    staff_required,
)
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.voting import selectors, services
from ratusz.consultations.methods.voting.forms import (
    CandidateForm,
    CensusUploadForm,
    CodesForm,
    PaperVotesForm,
)
from ratusz.consultations.methods.voting.models import (
    Candidate,
    CensusUpload,
    CodeBatch,
    PaperVotes,
    VotingCode,
)
from ratusz.consultations.methods.voting.rules import limits_of
from ratusz.spreadsheets import SafeCSVWriter


def _phase_or_404(request: HttpRequest, phase_id: int) -> Phase:
    """A voting phase of a project this staff member manages; 404 otherwise (no leak). A POST
    (candidates, costs, paper votes, codes) to a read-only project is refused here."""
    user: User = request.user  # type: ignore[assignment]  # staff_required: logged in
    phase = (
        Phase.objects.select_related("project")
        .filter(pk=phase_id, method="voting", project__in=managed_projects(user))
        .first()
    )
    if phase is None:
        raise Http404
    refuse_writes_to_read_only(request, phase.project)
    return phase


@staff_required
def phase_page(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    candidates = (
        Candidate.objects.filter(phase=phase).select_related("idea").order_by("position", "pk")
    )
    return render(
        request,
        "backoffice/voting/phase.html",
        {
            "phase": phase,
            "candidates": candidates,
            "budget": limits_of(phase).spend_limit is not None,
            "results": selectors.results(phase),
        },
    )


@staff_required
@require_POST
def import_ideas(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    try:
        added = services.import_candidates(phase=phase)
    except services.Refused as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Ideas added to the ballot: %(count)d.") % {"count": added})
    return redirect("backoffice:voting-phase", phase_id=phase.pk)


@staff_required
@require_POST
def update_candidate(request: HttpRequest, phase_id: int, candidate_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    candidate = Candidate.objects.filter(pk=candidate_id, phase=phase).first()
    if candidate is None:
        raise Http404
    form = CandidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the cost as a whole number of złoty, 0 or more."))
    else:
        try:
            services.update_candidate(
                candidate=candidate,
                cost=form.cleaned_data["cost"],
                included=form.cleaned_data["included"],
            )
        except services.Refused as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("Saved: %(idea)s.") % {"idea": candidate.idea.title})
    return redirect("backoffice:voting-phase", phase_id=phase.pk)


def _choices(phase: Phase) -> list[tuple[int, str]]:
    return [(c.pk, c.idea.title) for c in selectors.candidates(phase)]


@staff_required
def paper_votes(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    form = PaperVotesForm(request.POST or None, choices=_choices(phase))
    if request.method == "POST" and form.is_valid():
        candidate = Candidate.objects.get(pk=form.cleaned_data["candidate"], phase=phase)
        try:
            services.add_paper_votes(
                staff=request.user,  # type: ignore[arg-type]  # staff_required: logged in
                candidate=candidate,
                votes=form.cleaned_data["votes"],
                note=form.cleaned_data["note"],
            )
        except services.Refused as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("Paper votes recorded."))
            return redirect("backoffice:voting-paper", phase_id=phase.pk)
    return render(
        request,
        "backoffice/voting/paper.html",
        {"phase": phase, "form": form, "entries": selectors.paper_entries(phase)},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def delete_paper_votes(request: HttpRequest, phase_id: int, entry_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    entry = PaperVotes.objects.filter(pk=entry_id, phase=phase).first()
    if entry is None:
        raise Http404
    services.delete_paper_votes(entry=entry)
    messages.success(request, _("The entry is deleted."))
    return redirect("backoffice:voting-paper", phase_id=phase.pk)


@staff_required
def codes(request: HttpRequest, phase_id: int) -> HttpResponse:
    """Make one-time codes; the answer is the printable page, the only time they are shown."""
    phase = _phase_or_404(request, phase_id)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.generate_codes(
                staff=request.user,  # type: ignore[arg-type]  # staff_required: logged in
                phase=phase,
                count=form.cleaned_data["count"],
            )
        except services.Refused as problem:
            form.add_error("count", str(problem))
        else:
            response = render(
                request, "backoffice/voting/codes_print.html", {"phase": phase, "codes": made}
            )
            response["Cache-Control"] = "no-store"  # the codes are shown once, never cached
            return response
    batches = CodeBatch.objects.filter(phase=phase)
    used = VotingCode.objects.filter(phase=phase, used_at__isnull=False).count()
    return render(
        request,
        "backoffice/voting/codes.html",
        {"phase": phase, "form": form, "batches": batches, "used": used},
    )


@staff_required
def results_csv(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    outcome = selectors.results(phase)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="voting-{phase.pk}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with a byte-order mark
    writer = SafeCSVWriter(response)
    writer.writerow(
        [_("Place"), _("Idea number"), _("Idea"), _("Cost"), _("Online votes"),
         _("Paper and in-person votes"), _("Votes in total"), _("Fits in the budget")]
    )  # fmt: skip
    for row in outcome.rows:
        writer.writerow(
            [row.rank, row.candidate.idea_id, row.candidate.idea.title, row.candidate.cost,
             row.online, row.paper, row.total,
             (_("yes") if row.fits_budget else _("no")) if outcome.budget is not None else ""]
        )  # fmt: skip
    return response


@administrator_required
def census(request: HttpRequest) -> HttpResponse:
    form = CensusUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.upload_census(
                staff=request.user,  # type: ignore[arg-type]  # administrator_required: logged in
                file_name=upload.name or "census.csv",
                content=upload.read(),
                pesel=form.cleaned_data["pesel"],
                has_header=form.cleaned_data["has_header"],
            )
        except services.Refused as problem:  # not readable text: nothing was added
            form.add_error("file", str(problem))
    return render(
        request,
        "backoffice/voting/census.html",
        {
            "form": form,
            "report": report,
            "size": services.census_size(),
            "uploads": CensusUpload.objects.all()[:20],
        },
    )
