"""Writes in a city's schema: the portal, projects and their timelines.

One module per topic: portal, refusals, projects (with folders), timeline (phases and their
settings), copying (a project). The public names are re-exported here, so callers keep writing
`services.create_project(...)`.
"""

from ratusz.consultations.core.services.copying import (
    copy_project,
)
from ratusz.consultations.core.services.portal import (
    create_area,
    create_group,
    create_topic,
    initialize_portal,
    update_welcome,
)
from ratusz.consultations.core.services.projects import (
    archive_project,
    assign_managers,
    create_folder,
    create_project,
    move_project,
    publish_project,
    return_project_to_draft,
    set_folder_status,
    update_folder,
    update_project,
)
from ratusz.consultations.core.services.refusals import (
    ProjectReadOnly,
    ProjectRefused,
    SettingsRefused,
    TimelineRefused,
    refuse_if_read_only,
)
from ratusz.consultations.core.services.timeline import (
    add_phase,
    change_phase,
    delete_phase,
    update_phase_settings,
)

__all__ = [
    "ProjectReadOnly",
    "ProjectRefused",
    "SettingsRefused",
    "TimelineRefused",
    "add_phase",
    "archive_project",
    "assign_managers",
    "change_phase",
    "copy_project",
    "create_area",
    "create_folder",
    "create_group",
    "create_project",
    "create_topic",
    "delete_phase",
    "initialize_portal",
    "move_project",
    "publish_project",
    "refuse_if_read_only",
    "return_project_to_draft",
    "set_folder_status",
    "update_folder",
    "update_phase_settings",
    "update_project",
    "update_welcome",
]
