"""A throw-away participation method that exists only in the tests (test_method_plugins.py).

It lives in its own package, like a real method under ratusz/consultations/methods/<key>/,
and touches nothing outside it: if it appears wherever a method must (URLs, navigation, beat
schedule, phase editor, project page), adding a real method needs no file outside its package.
It has no models, so it needs no migrations and is registered by a fixture, not INSTALLED_APPS.
"""
