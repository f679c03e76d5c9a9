"""What the dashboard counts ("metrics") and what can be exported ("datasets").

Each participation method declares its own in its manifest (`metrics`, `exports`; the types are
in ratusz.consultations.core.reporting); the city's own figures that belong to no method
(registrations, residents) are registered here by the reports app (`builtin.py`). The
dashboard, the chart downloads and the exports only ask this module, so a method added later
appears everywhere through its manifest.
"""

from __future__ import annotations

from ratusz.consultations.core.registry import all_methods
from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope, local_time

__all__ = [
    "Column",
    "Dataset",
    "Metric",
    "Scope",
    "dataset",
    "datasets",
    "local_time",
    "metric",
    "metrics",
    "register_dataset",
    "register_metric",
]

_METRICS: dict[str, Metric] = {}
_DATASETS: dict[str, Dataset] = {}


def register_metric(metric: Metric) -> Metric:
    """Add a figure of the city's own (a method declares its figures in its manifest)."""
    _METRICS[metric.key] = metric
    return metric


def register_dataset(dataset: Dataset) -> Dataset:
    """Add an export of the city's own (a method declares its exports in its manifest)."""
    _DATASETS[dataset.key] = dataset
    return dataset


def _all_metrics() -> dict[str, Metric]:
    found = dict(_METRICS)
    for method in all_methods():
        found.update((m.key, m) for m in method.declared_metrics())
    return found


def _all_datasets() -> dict[str, Dataset]:
    found = dict(_DATASETS)
    for method in all_methods():
        found.update((d.key, d) for d in method.declared_exports())
    return found


def metrics() -> list[Metric]:
    return sorted(_all_metrics().values(), key=lambda m: (m.position, m.key))


def datasets() -> list[Dataset]:
    return sorted(_all_datasets().values(), key=lambda d: (d.position, d.key))


def metric(key: str) -> Metric | None:
    return _all_metrics().get(key)


def dataset(key: str) -> Dataset | None:
    return _all_datasets().get(key)
