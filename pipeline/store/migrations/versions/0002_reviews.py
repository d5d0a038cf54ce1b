"""Reviews of tasks and their audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), primary_key=True),
        sa.Column("task_key", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("reviewed_at", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("needs_recheck", sa.JSON),
        sa.Column("added", sa.JSON),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_key", sa.String(64), nullable=False),
        sa.Column("task_key", sa.String(40), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old", sa.JSON),
        sa.Column("new", sa.JSON),
    )
    op.create_index("ix_audit_task", "audit", ["document_key", "task_key"])


def downgrade() -> None:
    op.drop_index("ix_audit_task", "audit")
    op.drop_table("audit")
    op.drop_table("reviews")
