"""script generation details and translations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scripts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("generation", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("translated_from", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scripts", schema=None) as batch_op:
        batch_op.drop_column("translated_from")
        batch_op.drop_column("generation")
