"""the meeting pack: coded outcomes of closed reports, partnership actions

reports.outcome_code holds the fixed outcome chosen at /close (the free text stays in
reports.outcome); ix_reports_closed_at lets the pack count a quarter's closures without
reading every report. partnership_actions holds /action: owner, due date, done or not.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome_code", sa.String(length=24), nullable=True))
        batch_op.create_index("ix_reports_closed_at", ["closed_at"], unique=False)

    op.create_table(
        "partnership_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["members.id"],
            name=op.f("fk_partnership_actions_created_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["members.id"],
            name=op.f("fk_partnership_actions_done_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership_actions")),
    )
    with op.batch_alter_table("partnership_actions", schema=None) as batch_op:
        batch_op.create_index("ix_partnership_actions_done_at", ["done_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("partnership_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_partnership_actions_done_at")
    op.drop_table("partnership_actions")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_closed_at")
        batch_op.drop_column("outcome_code")
