"""staff sessions held on the server (sign-out ends them) and the sign-in throttle

Revision ID: 9d41b7e2c6a8
Revises: 5c0e7a1f9b3d
Create Date: 2026-12-04 16:40:00

"""
from alembic import op
import sqlalchemy as sa

from survey.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '9d41b7e2c6a8'
down_revision = '5c0e7a1f9b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('stash', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_staff_session_user_id_staff_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_staff_session_key_hash')),
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_session_user_id'), ['user_id'], unique=False)

    op.create_table(
        'sign_in_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failure')),
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_account'), ['account'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_account'))
    op.drop_table('sign_in_failure')
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_session_user_id'))
    op.drop_table('staff_session')
