"""People: residents, staff and roles, registration fields, groups (manual and by rule)."""
