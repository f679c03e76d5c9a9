"""Proposals (citizen initiatives) that collect support towards a threshold."""
