"""Polls: quick single- or multiple-choice questions inside a phase."""
