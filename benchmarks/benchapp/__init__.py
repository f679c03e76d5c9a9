"""A city-plane app used only by benchmarks/migrate.py to time real migrations across cities.

It is installed only by benchmarks/bench_settings.py, never by the product's settings.
"""
