"""Render jobs: the ledger (truth), the Huey queue (transport), workers, progress events."""
