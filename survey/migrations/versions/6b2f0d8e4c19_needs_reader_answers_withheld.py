"""answers that need a reader are withheld as flagged ones are

An answer the engine cannot screen with confidence (Polish, Urdu) is on the safeguarding
lead's queue as "needs a reader"; until read it may hold a disclosure, so it counts as
flagged: never in the reviewers' comments, a comment's page or the summary's quotes.

Revision ID: 6b2f0d8e4c19
Revises: 3c5e8a1f9b27
Create Date: 2026-12-07 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b2f0d8e4c19'
down_revision = '3c5e8a1f9b27'
branch_labels = None
depends_on = None


def upgrade():
    insight = sa.table(
        'answer_insight', sa.column('flagged', sa.Boolean()), sa.column('needs_reader', sa.Boolean())
    )
    op.execute(
        insight.update().where(insight.c.needs_reader.is_(True)).values(flagged=True)
    )


def downgrade():
    # Which answers were flagged only because they need a reader is not recorded: they stay
    # withheld (the safe side).
    pass
