"""Surveys: a form builder with pages and skip logic, responses, results."""
