"""Prefect flows: thin wrappers that list inputs, call `pipeline`, and record results."""
