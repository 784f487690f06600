"""safeguarding flags: an outcome chosen when acknowledged, and a named person assigned

Revision ID: e2a7c9d4b618
Revises: c4d8e2f6a1b3
Create Date: 2026-12-04 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a7c9d4b618'
down_revision = 'c4d8e2f6a1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_safeguarding_flag_assigned_to_id_staff_user'),
            'staff_user', ['assigned_to_id'], ['id'],
        )


def downgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_safeguarding_flag_assigned_to_id_staff_user'), type_='foreignkey'
        )
        batch_op.drop_column('assigned_to_id')
        batch_op.drop_column('outcome')
