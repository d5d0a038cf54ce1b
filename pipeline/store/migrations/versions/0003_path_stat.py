"""The size and modification time of each path as last read, so that an unchanged inbox is
re-scanned without hashing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paths") as batch:
        batch.add_column(sa.Column("size", sa.BigInteger))
        batch.add_column(sa.Column("mtime_ns", sa.BigInteger))


def downgrade() -> None:
    with op.batch_alter_table("paths") as batch:
        batch.drop_column("mtime_ns")
        batch.drop_column("size")
