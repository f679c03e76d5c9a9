"""Participation methods: one package per method, independent of each other (ARCHITECTURE.md §4)."""
