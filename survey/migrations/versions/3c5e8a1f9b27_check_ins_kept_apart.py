"""check-in requests kept apart from the answers: a record of each one passed on

Revision ID: 3c5e8a1f9b27
Revises: 9e1c4a7b2d60
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import survey.models.base


# revision identifiers, used by Alembic.
revision = '3c5e8a1f9b27'
down_revision = '9e1c4a7b2d60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'check_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('passed_on_by_id', sa.Integer(), nullable=True),
        sa.Column('passed_on_at', survey.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['response_id'], ['response.id'], name=op.f('fk_check_in_response_id_response'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['passed_on_by_id'], ['staff_user.id'],
            name=op.f('fk_check_in_passed_on_by_id_staff_user'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
        sa.UniqueConstraint('response_id', name=op.f('uq_check_in_response_id')),
    )


def downgrade():
    op.drop_table('check_in')
