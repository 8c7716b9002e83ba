"""the CCTV control room: review requests, operators' answers on alerts

cctv_requests holds each request to review footage of a report's time and place, its
answer (found and saved, nothing found, no coverage) and the footage reference;
alert_camera_answers holds an operator's "camera on it" / "no camera covers that" on an
urgent alert. The `cctv` role needs no change: roles are plain strings.

Revision ID: 0013_cctv
Revises: 0012_referrals_push
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_cctv"
down_revision: str | None = "0012_referrals_push"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_camera_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_alert_camera_answers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_alert_camera_answers_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_camera_answers")),
        sa.UniqueConstraint(
            "report_id", "member_id", name="uq_alert_camera_answers_report_id_member_id"
        ),
    )
    op.create_table(
        "cctv_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hotspot_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("answer", sa.String(length=24), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("footage_ref", sa.String(length=100), nullable=True),
        sa.Column("footage_ref_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["members.id"],
            name=op.f("fk_cctv_requests_answered_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hotspot_id"],
            ["hotspots.id"],
            name=op.f("fk_cctv_requests_hotspot_id_hotspots"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_cctv_requests_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["members.id"],
            name=op.f("fk_cctv_requests_requester_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cctv_requests")),
    )
    op.create_index("ix_cctv_requests_created_at", "cctv_requests", ["created_at"], unique=False)
    op.create_index(
        "ix_cctv_requests_status_created_at",
        "cctv_requests",
        ["status", "created_at"],
        unique=False,
    )
    op.create_index("ix_cctv_requests_report_id", "cctv_requests", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cctv_requests_report_id", table_name="cctv_requests")
    op.drop_index("ix_cctv_requests_status_created_at", table_name="cctv_requests")
    op.drop_index("ix_cctv_requests_created_at", table_name="cctv_requests")
    op.drop_table("cctv_requests")
    op.drop_table("alert_camera_answers")
