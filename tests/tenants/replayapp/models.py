# Intentionally empty: the models live in the migrations only (their state is what the tests
# migrate through). The module must exist for post_migrate to create content types and
# permissions for the app, which the replay must reproduce.
