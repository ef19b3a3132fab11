"""The engine's services: scripts, videos, bulk jobs, users and security, voices, document imports.

Each takes the database and typed requests, works within one owner's rows, and raises the domain
errors of `engine.errors`; none knows about HTTP. Below them: jobs, the domains (content, analytics,
trends, media, llm), render, the writer and the store.
"""
