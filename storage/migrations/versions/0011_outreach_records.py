"""outreach records fit for reporting: bedded down, local connection, institutions left,
person flags with who and when, outcomes (moves into accommodation)

outreach_contacts gains bedded_down (CHAIN's mark: seen sleeping rough, or only at risk),
local_connection and connection_place, and left_institution ("|"-joined prison, hospital,
care). Contacts logged before: bedded_down is filled from the sleeping site they recorded
(doorway, tent, car: bedded down; not sleeping out: not), else left unknown (NULL), so a
database upgraded mid-month keeps its rough sleepers. person_flags holds each flag with
who set and cleared it and when; the flags people already carry become rows set by whoever
created the record, at its last change. person_outcomes holds moves with their date.

Revision ID: 0011_outreach_records
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_outreach_records"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEDDED_SITES = ("doorway", "tent", "car")
_NOT_BEDDED_SITES = ("not_out",)


def upgrade() -> None:
    op.create_table(
        "person_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_by_id", sa.Integer(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cleared_by_id"],
            ["members.id"],
            name=op.f("fk_person_flags_cleared_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_flags_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["members.id"],
            name=op.f("fk_person_flags_set_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_flags")),
    )
    with op.batch_alter_table("person_flags", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_flags_person_id_cleared_at", ["person_id", "cleared_at"], unique=False
        )

    op.create_table(
        "person_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_outcomes_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["members.id"],
            name=op.f("fk_person_outcomes_recorded_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_outcomes")),
    )
    with op.batch_alter_table("person_outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_person_outcomes_moved_on", ["moved_on"], unique=False)
        batch_op.create_index(
            "ix_person_outcomes_person_id_moved_on", ["person_id", "moved_on"], unique=False
        )

    with op.batch_alter_table("outreach_contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bedded_down", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("local_connection", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("connection_place", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column("left_institution", sa.String(length=60), nullable=False, server_default="")
        )
    with op.batch_alter_table("outreach_contacts", schema=None) as batch_op:
        batch_op.alter_column("left_institution", server_default=None)

    contacts = sa.table(
        "outreach_contacts",
        sa.column("sleeping_site", sa.String),
        sa.column("bedded_down", sa.Boolean),
    )
    op.execute(
        contacts.update()
        .where(contacts.c.sleeping_site.in_(_BEDDED_SITES))
        .values(bedded_down=True)
    )
    op.execute(
        contacts.update()
        .where(contacts.c.sleeping_site.in_(_NOT_BEDDED_SITES))
        .values(bedded_down=False)
    )

    # The flags people carry become rows (who: the record's creator; when: its last change).
    bind = op.get_bind()
    people = sa.table(
        "people",
        sa.column("id", sa.Integer),
        sa.column("flags", sa.String),
        sa.column("created_by_id", sa.Integer),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    flags = sa.table(
        "person_flags",
        sa.column("person_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("set_by_id", sa.Integer),
        sa.column("set_at", sa.DateTime(timezone=True)),
    )
    rows = bind.execute(
        sa.select(people.c.id, people.c.flags, people.c.created_by_id, people.c.updated_at).where(
            people.c.flags != ""
        )
    ).all()
    values = [
        {"person_id": pid, "kind": kind, "set_by_id": by, "set_at": at}
        for pid, text, by, at in rows
        for kind in (text or "").split("|")
        if kind
    ]
    if values:
        op.bulk_insert(flags, values)


def downgrade() -> None:
    with op.batch_alter_table("outreach_contacts", schema=None) as batch_op:
        batch_op.drop_column("left_institution")
        batch_op.drop_column("connection_place")
        batch_op.drop_column("local_connection")
        batch_op.drop_column("bedded_down")

    with op.batch_alter_table("person_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_person_outcomes_person_id_moved_on")
        batch_op.drop_index("ix_person_outcomes_moved_on")
    op.drop_table("person_outcomes")
    with op.batch_alter_table("person_flags", schema=None) as batch_op:
        batch_op.drop_index("ix_person_flags_person_id_cleared_at")
    op.drop_table("person_flags")
