"""Helpers shared by test modules: locally built models and session folders."""
