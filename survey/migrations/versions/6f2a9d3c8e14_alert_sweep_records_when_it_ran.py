"""the alert sweep records when it last ran, so staff are warned when it has stopped

Revision ID: 6f2a9d3c8e14
Revises: 3c5e8a1f9b27
Create Date: 2026-12-07 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import survey.models.base


# revision identifiers, used by Alembic.
revision = '6f2a9d3c8e14'
down_revision = '3c5e8a1f9b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sweep_run',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('last_run_at', survey.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_sweep_run')),
    )


def downgrade():
    op.drop_table('sweep_run')
