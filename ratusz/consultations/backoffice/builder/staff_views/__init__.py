"""The project builder's pages: thin views that parse, authorise, call one service, render.

Project managers open only the projects assigned to them (`managed_project` answers 404 for
any other, so nobody learns which projects exist); creating, copying and reordering projects,
folders and assigning managers are for administrators. Every action is a plain form POST that
redirects back, so the builder works without JavaScript.

After a downgrade, a published project beyond the plan's active projects is read-only: every
save is refused with the reason (shown in the page, never a 500) while archiving it or
returning it to draft, which frees a place, stays possible.

One module per topic: projects (with folders) and timeline (phases and their settings).
"""
