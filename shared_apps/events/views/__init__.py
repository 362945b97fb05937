"""Thin views of meetings and trainings: ``public`` (public site) and ``school`` (school site)."""
