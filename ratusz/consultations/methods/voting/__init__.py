"""Voting and participatory budgeting: single, multiple and budget votes, census and codes."""
