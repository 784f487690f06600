"""notes on a safeguarding flag, before or after it is acknowledged

Revision ID: 8b4e1f7a2c90
Revises: 6f2a9d3c8e14
Create Date: 2026-12-07 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import survey.models.base


# revision identifiers, used by Alembic.
revision = '8b4e1f7a2c90'
down_revision = '6f2a9d3c8e14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'flag_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('flag_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', survey.models.base.UTCDateTime(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['flag_id'], ['safeguarding_flag.id'],
            name=op.f('fk_flag_note_flag_id_safeguarding_flag'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['staff_user.id'], name=op.f('fk_flag_note_user_id_staff_user'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_note')),
    )
    with op.batch_alter_table('flag_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_note_flag_id'), ['flag_id'], unique=False)


def downgrade():
    with op.batch_alter_table('flag_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_note_flag_id'))
    op.drop_table('flag_note')
