"""Volunteering: causes residents sign up for."""
