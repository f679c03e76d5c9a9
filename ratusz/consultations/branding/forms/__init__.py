"""Validation of what administrators send about the look and the site: the only place input
becomes errors, each one saying what to do. One module per topic: look (colours, images),
site (languages, pages, links, the domain), multilingual (fields per city language)."""
