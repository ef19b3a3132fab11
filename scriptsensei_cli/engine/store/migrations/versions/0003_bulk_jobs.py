"""bulk jobs and row keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:36:21.327308
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "bulk_jobs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "key", name="uq_bulk_user_key"),
    )
    with op.batch_alter_table("bulk_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bulk_jobs_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("bulk_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("row_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("output_name", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_videos_bulk_id"), ["bulk_id"], unique=False)
        batch_op.create_unique_constraint("uq_videos_user_row_key", ["user_id", "row_key"])


def downgrade() -> None:

    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.drop_constraint("uq_videos_user_row_key", type_="unique")
        batch_op.drop_index(batch_op.f("ix_videos_bulk_id"))
        batch_op.drop_column("output_name")
        batch_op.drop_column("row_number")
        batch_op.drop_column("row_key")
        batch_op.drop_column("bulk_id")
        batch_op.drop_column("sha256")

    with op.batch_alter_table("bulk_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bulk_jobs_user_id"))

    op.drop_table("bulk_jobs")
