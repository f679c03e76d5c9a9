"""Project builder: projects, folders, timelines and phase settings."""
