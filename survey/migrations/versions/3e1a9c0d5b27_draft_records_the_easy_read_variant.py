"""draft records the questionnaire variant being answered (easy read)

Revision ID: 3e1a9c0d5b27
Revises: fd9c542eb2f8
Create Date: 2026-11-23 17:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3e1a9c0d5b27'
down_revision = 'fd9c542eb2f8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questionnaire_id', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_column('questionnaire_id')
