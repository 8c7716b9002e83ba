"""staff safety: lone-working check-ins, role defaults, safety alerts

Members working alone are checked on (checkin_sessions); an admin sets each role's default
(checkin_role_defaults); a missed check-in or a "Need help" is a safety alert
(safety_alerts) whose copies are outbox rows pointing to it (outbox.safety_alert_id).

Revision ID: 0014_lone_worker
Revises: 0013_cctv
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_lone_worker"
down_revision: str | None = "0013_cctv"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _member_fk(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["members.id"], name=op.f(f"fk_{table}_{column}_members"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "checkin_role_defaults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("alone", sa.Boolean(), nullable=False),
        sa.Column("every_minutes", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        _member_fk("updated_by_id", "checkin_role_defaults", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_role_defaults")),
        sa.UniqueConstraint("role", name=op.f("uq_checkin_role_defaults_role")),
    )
    op.create_table(
        "checkin_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.Column("every_minutes", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        _member_fk("member_id", "checkin_sessions", "CASCADE"),
        _member_fk("ended_by_id", "checkin_sessions", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["duty_id"],
            ["duty_sessions.id"],
            name=op.f("fk_checkin_sessions_duty_id_duty_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_sessions")),
    )
    op.create_index(
        "ix_checkin_sessions_member_id_ended_at",
        "checkin_sessions",
        ["member_id", "ended_at"],
        unique=False,
    )
    op.create_index("ix_checkin_sessions_ended_at", "checkin_sessions", ["ended_at"], unique=False)
    op.create_table(
        "safety_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("located_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        _member_fk("member_id", "safety_alerts", "CASCADE"),
        _member_fk("acknowledged_by_id", "safety_alerts", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["checkin_sessions.id"],
            name=op.f("fk_safety_alerts_session_id_checkin_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_alerts")),
    )
    op.create_index("ix_safety_alerts_raised_at", "safety_alerts", ["raised_at"], unique=False)
    op.create_index(
        "ix_safety_alerts_member_id_raised_at",
        "safety_alerts",
        ["member_id", "raised_at"],
        unique=False,
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("safety_alert_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbox_safety_alert_id", ["safety_alert_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_safety_alert_id")
        batch_op.drop_column("safety_alert_id")
    op.drop_index("ix_safety_alerts_member_id_raised_at", table_name="safety_alerts")
    op.drop_index("ix_safety_alerts_raised_at", table_name="safety_alerts")
    op.drop_table("safety_alerts")
    op.drop_index("ix_checkin_sessions_ended_at", table_name="checkin_sessions")
    op.drop_index("ix_checkin_sessions_member_id_ended_at", table_name="checkin_sessions")
    op.drop_table("checkin_sessions")
    op.drop_table("checkin_role_defaults")
