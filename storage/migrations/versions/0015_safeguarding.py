"""safeguarding concerns, the safeguarding lead flag, reports' "under 18 involved"

- `members.safeguarding_lead`: set by an admin on a coordinator or an outreach worker;
  leads receive every safeguarding concern privately.
- `reports.under_18`: the reporter said a person under 18 is involved (the report raises a
  concern, and its alerts never carry the description).
- `concerns`: one safeguarding concern each (source, kind, who raised it, where and when,
  status, the lead's acknowledgement and what was done, with a one-line note).
- `outbox.concern_id`: a copy of a concern, rendered at send time from its state.

Revision ID: 0015_safeguarding
Revises: 0014_lone_worker
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_safeguarding"
down_revision: str | None = "0014_lone_worker"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _false() -> str | sa.ColumnElement[bool]:
    """The new flags' default. On SQLite a literal, so the column is added in place: an
    expression default makes batch mode copy the table, and dropping the old `members` or
    `reports` with foreign keys on would null (or delete) every row that refers to it."""
    return "0" if op.get_bind().dialect.name == "sqlite" else sa.false()


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("safeguarding_lead", sa.Boolean(), nullable=False, server_default=_false())
        )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("under_18", sa.Boolean(), nullable=False, server_default=_false())
        )
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hotspot_id", sa.Integer(), nullable=True),
        sa.Column("place_text", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=24), nullable=True),
        sa.Column("action_note", sa.String(length=200), nullable=True),
        sa.Column("action_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("action_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_concerns_report_id_reports"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["outreach_contacts.id"],
            name=op.f("fk_concerns_contact_id_outreach_contacts"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"], ["members.id"], name=op.f("fk_concerns_raised_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hotspot_id"], ["hotspots.id"], name=op.f("fk_concerns_hotspot_id_hotspots"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["members.id"],
            name=op.f("fk_concerns_acknowledged_by_id_members"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["action_by_id"], ["members.id"], name=op.f("fk_concerns_action_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
    )  # fmt: skip
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.create_index("ix_concerns_status_raised_at", ["status", "raised_at"])
        batch_op.create_index("ix_concerns_raised_at", ["raised_at"])
        batch_op.create_index("ix_concerns_report_id", ["report_id"])
        batch_op.create_index("ix_concerns_contact_id", ["contact_id"])
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("concern_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_concern_id_concerns"),
            "concerns",
            ["concern_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_outbox_concern_id", ["concern_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_concern_id")
        batch_op.drop_constraint(batch_op.f("fk_outbox_concern_id_concerns"), type_="foreignkey")
        batch_op.drop_column("concern_id")
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_index("ix_concerns_contact_id")
        batch_op.drop_index("ix_concerns_report_id")
        batch_op.drop_index("ix_concerns_raised_at")
        batch_op.drop_index("ix_concerns_status_raised_at")
    op.drop_table("concerns")
    # In place (SQLite 3.35+ drops a column itself): copying `reports` or `members` would
    # null or delete, through their foreign keys, every row that refers to them.
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("under_18")
    with op.batch_alter_table("members", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("safeguarding_lead")
