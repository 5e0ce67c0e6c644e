"""Formatters: findings and answers into text, JSON and CI formats. No I/O here."""
