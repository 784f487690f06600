"""complaint case handling: a case owner, the advocacy task, a reason and remedy per finding

Revision ID: f3b8d1e5c7a2
Revises: e2a7c9d4b618
Create Date: 2026-12-04 21:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8d1e5c7a2'
down_revision = 'e2a7c9d4b618'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('advocate_arranged_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaint_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_complaint_owner_id_staff_user'), 'staff_user', ['owner_id'], ['id']
        )
    with op.batch_alter_table('complaint_point', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('remedy', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('complaint_point', schema=None) as batch_op:
        batch_op.drop_column('remedy')
        batch_op.drop_column('reason')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaint_owner_id_staff_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_complaint_owner_id'))
        batch_op.drop_column('advocate_arranged_on')
        batch_op.drop_column('owner_id')
