"""drafts record when the full safeguarding read last covered their answers

Revision ID: 7d2e4b9c1a60
Revises: 834ec91da0ad
Create Date: 2026-12-06 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import survey.models.base


# revision identifiers, used by Alembic.
revision = '7d2e4b9c1a60'
down_revision = '834ec91da0ad'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('read_in_full_at', survey.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_column('read_in_full_at')
