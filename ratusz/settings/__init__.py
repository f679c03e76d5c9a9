"""Settings. `base` is the settings module (DJANGO_SETTINGS_MODULE=ratusz.settings.base);
`test` gives the test suite its defaults before `base` reads the environment."""
