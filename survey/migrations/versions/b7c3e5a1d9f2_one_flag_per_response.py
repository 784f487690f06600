"""one safeguarding flag per response, listing every answer it concerns

Revision ID: b7c3e5a1d9f2
Revises: 9d41b7e2c6a8
Create Date: 2026-12-04 17:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c3e5a1d9f2'
down_revision = '9d41b7e2c6a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_ids', sa.JSON(), server_default='[]', nullable=False))
    flags = sa.table(
        'safeguarding_flag',
        sa.column('id', sa.Integer()),
        sa.column('question_id', sa.String()),
        sa.column('question_ids', sa.JSON()),
    )
    bind = op.get_bind()
    for flag_id, question_id in bind.execute(sa.select(flags.c.id, flags.c.question_id)).all():
        bind.execute(
            flags.update()
            .where(flags.c.id == flag_id)
            .values(question_ids=[question_id] if question_id else [])
        )


def downgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.drop_column('question_ids')
