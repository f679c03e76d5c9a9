"""Themes in what people said: clustering of ideas and comments, renamed and merged by staff."""
