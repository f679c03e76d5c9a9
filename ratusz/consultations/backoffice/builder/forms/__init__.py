"""Validation of what staff send in the project builder: the only place input becomes errors.

One module per topic: translated (one field per city language), projects (projects, folders,
copying and moving them), phases (a phase and its method's settings).
"""
