"""public perception survey: rounds, answers, a typed place awaited

No Telegram id is stored: a person is an HMAC of their id under the round's key, which
closing the round deletes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("round_key", sa.String(length=64), nullable=True),
        sa.Column("places", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_rounds")),
    )
    with op.batch_alter_table("survey_rounds", schema=None) as batch_op:
        batch_op.create_index("ix_survey_rounds_closed_at", ["closed_at"], unique=False)

    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=True),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("dark", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("other_place", sa.String(length=60), nullable=True),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("gender", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_rounds.id"],
            name=op.f("fk_survey_responses_round_id_survey_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint(
            "round_id", "person_key", name="uq_survey_responses_round_id_person_key"
        ),
    )
    op.create_table(
        "survey_pending",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("dark", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_rounds.id"],
            name=op.f("fk_survey_pending_round_id_survey_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "person_key", name=op.f("pk_survey_pending")),
    )


def downgrade() -> None:
    op.drop_table("survey_pending")
    op.drop_table("survey_responses")
    with op.batch_alter_table("survey_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_rounds_closed_at")
    op.drop_table("survey_rounds")
