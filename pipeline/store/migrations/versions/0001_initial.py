"""The first store: documents, versions, tasks, paths.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("latest_sha256", sa.String(64), nullable=False),
        sa.Column("latest_path", sa.Text, nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("extracted_at", sa.String(32), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("snapshot", sa.JSON),
        sa.Column("diff", sa.JSON),
    )
    op.create_index("ix_versions_document_key", "versions", ["document_key"])
    op.create_table(
        "tasks",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("versions.sha256"), primary_key=True),
        sa.Column("task_key", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "paths",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_paths_document_key", "paths", ["document_key"])


def downgrade() -> None:
    op.drop_table("paths")
    op.drop_table("tasks")
    op.drop_index("ix_versions_document_key", "versions")
    op.drop_table("versions")
    op.drop_table("documents")
