"""Ratusz: a multi-tenant civic-engagement platform."""
