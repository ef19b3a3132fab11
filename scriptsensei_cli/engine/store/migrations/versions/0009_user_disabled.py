"""users.disabled_at: an administrator can disable an account (ss users disable)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:30:00

A disabled account cannot log in, and every request checks the flag, so its access tokens, API
tokens and refresh tokens stop working on every API node at once; disabling also revokes them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("disabled_at")
