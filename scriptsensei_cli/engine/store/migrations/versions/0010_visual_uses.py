"""visual_uses: how often each library or stock file appeared in a user's videos

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 23:40:00

Scenes without media get a file chosen for what they say; among the files that match equally well,
the least used one is taken, so a batch of videos on one subject does not open with the same clip.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visual_uses",
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.String(length=300), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "item_id"),
    )


def downgrade() -> None:
    op.drop_table("visual_uses")
