"""safeguarding alerts (an outbox of messages to leads, admins and the EDT); flags on unsent drafts

Revision ID: c4d8e2f6a1b3
Revises: b7c3e5a1d9f2
Create Date: 2026-12-04 20:50:00

"""
from alembic import op
import sqlalchemy as sa

import survey.models.base


# revision identifiers, used by Alembic.
revision = 'c4d8e2f6a1b3'
down_revision = 'b7c3e5a1d9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unsent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('draft_words', sa.JSON(), server_default='{}', nullable=False))
        batch_op.create_unique_constraint('uq_safeguarding_flag_draft_id', ['draft_id'])
        batch_op.create_foreign_key(
            'fk_safeguarding_flag_draft_id_draft', 'draft', ['draft_id'], ['id'], ondelete='SET NULL'
        )
    op.create_table(
        'alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('flag_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=False),
        sa.Column('created_at', survey.models.base.UTCDateTime(), nullable=False),
        sa.Column('next_attempt_at', survey.models.base.UTCDateTime(), nullable=False),
        sa.Column('sent_at', survey.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['flag_id'], ['safeguarding_flag.id'], name=op.f('fk_alert_flag_id_safeguarding_flag'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
        sa.UniqueConstraint('flag_id', 'reason', 'recipient', name=op.f('uq_alert_flag_id')),
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_flag_id'), ['flag_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_alert_state'))
        batch_op.drop_index(batch_op.f('ix_alert_flag_id'))
    op.drop_table('alert')
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.drop_constraint('fk_safeguarding_flag_draft_id_draft', type_='foreignkey')
        batch_op.drop_constraint('uq_safeguarding_flag_draft_id', type_='unique')
        batch_op.drop_column('draft_words')
        batch_op.drop_column('unsent')
        batch_op.drop_column('draft_id')
