"""Persistence: SQLAlchemy models, the database handle and its migrations."""
