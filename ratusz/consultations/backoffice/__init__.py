"""The city back office under /admin/ of the city host: staff run their portal here.

Each area (project builder, people, branding and site, reports and exports, campaigns, insight)
is a module or sub-app of its own that plugs its URLs into `urls.py` and its entry into `nav.py`.
"""
