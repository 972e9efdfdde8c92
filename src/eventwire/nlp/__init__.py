"""Extraction (the `nlp` package): one spaCy pass per article, then one small stage per field.

Stages (each a module with one public entry): ``events`` (triggers, type,
mode), ``status``, ``actors``, ``places``, ``times``, ``amounts``,
``attribution``, ``quotes``; ``pipeline`` runs them in order and merges
mentions of the same event. Importing this package does not import spaCy.
"""
