"""Writes for themes: asking for an analysis, running it, and staff's renames, tags and merges.

Re-running keeps staff's work where it still fits: each new theme is paired with at most one
old theme that staff named or tagged, greedily by the Jaccard overlap of their members (ideas
and comments), and takes over its name and tags when the overlap is at least KEEP_OVERLAP.
Jaccard (shared / all members of either) is used rather than "share of the old theme" so that a
small named theme swallowed by a big new one does not rename it, nor a big named theme lend its
name to a small splinter; a half means most of what the name was given for is still there.
Pairing one-to-one keeps two new themes from both carrying one name.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core.clustering import TOP_WORDS, cluster_texts
from ratusz.consultations.core.features import check_feature_on
from ratusz.consultations.core.models import Project
from ratusz.consultations.insight import selectors
from ratusz.consultations.insight.models import RunStatus, Theme, ThemeMember, ThemeRun
from ratusz.tenants.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

KEEP_OVERLAP = 0.5
MAX_TAGS = 10


def request_analysis(*, project: Project, by: User) -> ThemeRun:
    """Queue an analysis of the project (or return the one already waiting or running).
    Raises FeatureNotAllowed when the city's plan has no themes, FeatureSwitchedOff when the
    city switched them off."""
    check_feature_on("insight")
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()  # one request at a time
        pending = selectors.pending_run(project)
        if pending is not None:
            return pending
        run = ThemeRun.objects.create(project=project, requested_by=by)

        enqueue_on_commit("insight.find_themes", run.pk)
    return run


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def run_analysis(*, run_id: int) -> ThemeRun | None:
    """Cluster the project's ideas and comments and replace its themes (keeping staff's names
    and tags where members overlap). Running a finished run again changes nothing."""
    try:
        return _run(run_id)
    except Exception as error:
        logger.exception("theme analysis %s failed", run_id)
        ThemeRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        return ThemeRun.objects.filter(pk=run_id).first()


def _run(run_id: int) -> ThemeRun | None:
    with transaction.atomic():
        run = ThemeRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (RunStatus.DONE, RunStatus.FAILED):
            return run
        project = run.project
        documents = selectors.project_documents(project)
        result = cluster_texts([d.text for d in documents])
        new_keys = [{documents[i].key for i in c.members} for c in result.clusters]

        old_themes = {t.pk: t for t in Theme.objects.filter(project=project)}
        old_keys = selectors.member_keys(project)
        curated = [t for t in old_themes.values() if t.name or t.tags]
        pairs = sorted(
            (
                (jaccard(keys, old_keys.get(old.pk, set())), index, old.pk)
                for index, keys in enumerate(new_keys)
                for old in curated
            ),
            key=lambda p: (-p[0], p[1], p[2]),
        )
        inherited: dict[int, Theme] = {}
        used: set[int] = set()
        for score, index, old_pk in pairs:
            if score < KEEP_OVERLAP:
                break
            if index in inherited or old_pk in used:
                continue
            inherited[index] = old_themes[old_pk]
            used.add(old_pk)

        Theme.objects.filter(project=project).delete()
        for position, cluster in enumerate(result.clusters):
            previous = inherited.get(position)
            theme = Theme.objects.create(
                project=project,
                run=run,
                name=previous.name if previous else "",
                tags=list(previous.tags) if previous else [],
                top_words=[[word, weight] for word, weight in cluster.top_words],
                position=position,
            )
            ThemeMember.objects.bulk_create(
                [
                    ThemeMember(
                        theme=theme,
                        idea_id=documents[i].idea_id,
                        comment_id=documents[i].comment_id,
                    )
                    for i in cluster.members
                ]
            )
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.documents = len(documents)
        run.clusters = len(result.clusters)
        run.silhouette = result.silhouette
        run.kept_names = len(inherited)
        run.save()
    return run


def rename_theme(*, theme: Theme, name: str) -> Theme:
    """Give a theme staff's name (an empty name goes back to its top words)."""
    theme.name = " ".join(name.split())
    theme.save(update_fields=["name"])
    return theme


def tag_theme(*, theme: Theme, tags: list[str]) -> Theme:
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = " ".join(tag.split())
        if cleaned:
            seen.setdefault(cleaned, None)
    theme.tags = list(seen)[:MAX_TAGS]
    theme.save(update_fields=["tags"])
    return theme


def merge_themes(*, target: Theme, others: list[Theme]) -> Theme:
    """Fold `others` (themes of the same project) into `target`: their members, tags and top
    words join it, and they are removed."""
    others = [t for t in others if t.pk != target.pk]
    if any(t.project_id != target.project_id for t in others):
        raise ValueError("themes of different projects cannot be merged")
    with transaction.atomic():
        themes = [target, *others]
        sizes = {t.pk: t.members.count() for t in themes}
        weights: dict[str, float] = defaultdict(float)
        for theme in themes:
            for word, weight in theme.top_words:
                weights[str(word)] += float(weight) * sizes[theme.pk]
        total = sum(sizes.values()) or 1
        target.top_words = [
            [word, round(weight / total, 4)]
            for word, weight in sorted(weights.items(), key=lambda w: (-w[1], w[0]))[:TOP_WORDS]
        ]
        target.tags = list(dict.fromkeys([*target.tags, *(tag for t in others for tag in t.tags)]))[
            :MAX_TAGS
        ]
        if not target.name:
            target.name = next((t.name for t in others if t.name), "")
        target.save(update_fields=["top_words", "tags", "name"])
        existing = {m.key for m in target.members.all()}
        moved = []
        for member in ThemeMember.objects.filter(theme__in=others):
            if member.key not in existing:
                existing.add(member.key)
                moved.append(
                    ThemeMember(theme=target, idea_id=member.idea_id, comment_id=member.comment_id)
                )
        Theme.objects.filter(pk__in=[t.pk for t in others]).delete()
        ThemeMember.objects.bulk_create(moved)
    return target
