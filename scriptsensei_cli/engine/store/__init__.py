"""Persistence: SQLAlchemy models, the database handle and its migrations, object storage for outputs
and media (local or S3-compatible), and the files users send while a service decides what to keep."""
