"""referrals reach outreach at once: pushed copies, not found with where, reopened, overdue

Referrals: when each was last touched (filed, reopened or taken: the briefing's overdue
rule), where a worker looked when it was not found (and who, when), the not-found referral
a new report was attached to, and when it was reopened. The outbox: the referral a copy or
its edit belongs to (copies are rendered when sent).

Existing referrals count as touched when they were taken, else when they were filed.

Revision ID: 0012_referrals_push
Revises: 0011_outreach_records
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_referrals_push"
down_revision: str | None = "0011_outreach_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("touched_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("where_looked", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("not_found_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("not_found_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("attached_to_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_not_found_by_id_members"),
            "members",
            ["not_found_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_attached_to_id_referrals"),
            "referrals",
            ["attached_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_referrals_status_touched_at", ["status", "touched_at"], unique=False
        )
        batch_op.create_index("ix_referrals_attached_to_id", ["attached_to_id"], unique=False)
    op.execute(
        "UPDATE referrals SET touched_at = COALESCE(taken_at, created_at) WHERE touched_at IS NULL"
    )
    # A referral closed "not found" before this revision: when and by whom, as it closed.
    op.execute(
        "UPDATE referrals SET not_found_at = closed_at, not_found_by_id = closed_by_id "
        "WHERE outcome = 'not_found' AND not_found_at IS NULL"
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referral_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_referral_id_referrals"),
            "referrals",
            ["referral_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_outbox_referral_id", ["referral_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_referral_id")
        batch_op.drop_constraint(batch_op.f("fk_outbox_referral_id_referrals"), type_="foreignkey")
        batch_op.drop_column("referral_id")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_attached_to_id")
        batch_op.drop_index("ix_referrals_status_touched_at")
        batch_op.drop_constraint(
            batch_op.f("fk_referrals_attached_to_id_referrals"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_referrals_not_found_by_id_members"), type_="foreignkey"
        )
        batch_op.drop_column("reopened_at")
        batch_op.drop_column("attached_to_id")
        batch_op.drop_column("not_found_by_id")
        batch_op.drop_column("not_found_at")
        batch_op.drop_column("where_looked")
        batch_op.drop_column("touched_at")
