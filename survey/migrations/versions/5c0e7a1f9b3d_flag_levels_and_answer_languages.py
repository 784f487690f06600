"""flag levels (current, reader, review) and the language of each answer

Revision ID: 5c0e7a1f9b3d
Revises: 8a2d1dbeec12
Create Date: 2026-12-03 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c0e7a1f9b3d'
down_revision = '8a2d1dbeec12'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer_insight', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('needs_reader', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.String(length=10), server_default='current', nullable=False))
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en', nullable=False))


def downgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('level')

    with op.batch_alter_table('answer_insight', schema=None) as batch_op:
        batch_op.drop_column('needs_reader')
        batch_op.drop_column('language')
