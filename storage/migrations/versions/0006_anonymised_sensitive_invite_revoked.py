"""people.anonymised, categories.sensitive and invites.revoked_at

- `people.anonymised`: retention marked an anonymised record by its alias ("erased #12"),
  so a worker who typed such an alias hid a real person from retention and erasure. Now it
  is a column; records retention already anonymised (alias "erased #<own id>", every
  detail empty) are marked.
- `categories.sensitive`: alerts to the group and to members on duty leave the description
  of a sensitive category out, and CSV exports too. Safeguarding and rough sleeping are
  sensitive by default (welfare too, where it exists).
- `invites.revoked_at`: an inviter can revoke an open invite (`/invites`); open invites
  are counted per inviter, hence the index.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The slugs of the default categories that are sensitive (bot.domain.reports.incidents keeps the
# same list for new databases; a migration never imports the code it migrates).
SENSITIVE_SLUGS = ("safeguarding", "rough_sleeping", "welfare")


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymised", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_invites_created_by_id_used_at", ["created_by_id", "used_at"], unique=False
        )

    people = sa.table(
        "people",
        sa.column("id", sa.Integer),
        sa.column("alias", sa.String),
        sa.column("anonymised", sa.Boolean),
        sa.column("appearance", sa.String),
        sa.column("gender", sa.String),
        sa.column("usual_sites", sa.String),
        sa.column("legal_name", sa.String),
    )
    op.execute(
        people.update()
        .where(people.c.alias == sa.literal("erased #") + sa.cast(people.c.id, sa.String))
        .where(people.c.appearance.is_(None))
        .where(people.c.gender.is_(None))
        .where(people.c.usual_sites.is_(None))
        .where(people.c.legal_name.is_(None))
        .values(anonymised=True)
    )
    categories = sa.table(
        "categories", sa.column("slug", sa.String), sa.column("sensitive", sa.Boolean)
    )
    op.execute(
        categories.update().where(categories.c.slug.in_(SENSITIVE_SLUGS)).values(sensitive=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_index("ix_invites_created_by_id_used_at")
        batch_op.drop_column("revoked_at")
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_column("sensitive")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("anonymised")
