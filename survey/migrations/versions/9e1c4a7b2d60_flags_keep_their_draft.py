"""every flag raised on a draft keeps it (from_draft_id), so a handled one is never raised
again; name and contact boxes' stored insights removed (they are screened, never analysed)

Revision ID: 9e1c4a7b2d60
Revises: 7d2e4b9c1a60
Create Date: 2026-12-07 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e1c4a7b2d60'
down_revision = '7d2e4b9c1a60'
branch_labels = None
depends_on = None

# The shipped questionnaires' name and contact boxes (``sensitive: false``) whose answers
# were analysed before 2026-12-07: their insights (and reviewers' corrections of them) go.
CONTACT_BOXES = {
    'care-leavers-16-25': ('checkin-contact',),
    'compliments-complaints': (
        'compliment-worker', 'contact-name', 'contact-email', 'contact-phone', 'contact-address'
    ),
}


def upgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_draft_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_safeguarding_flag_from_draft_id'), ['from_draft_id'], unique=False
        )
        batch_op.create_foreign_key(
            'fk_safeguarding_flag_from_draft_id_draft', 'draft', ['from_draft_id'], ['id'],
            ondelete='SET NULL',
        )
    op.execute(
        'UPDATE safeguarding_flag SET from_draft_id = draft_id WHERE draft_id IS NOT NULL'
    )
    for questionnaire_id, questions in CONTACT_BOXES.items():
        params = {'questionnaire': questionnaire_id}
        names = ', '.join(f':q{i}' for i in range(len(questions)))
        params.update({f'q{i}': q for i, q in enumerate(questions)})
        doomed = (
            'SELECT answer_insight.id FROM answer_insight JOIN response'
            ' ON response.id = answer_insight.response_id'
            ' WHERE response.questionnaire_id = :questionnaire'
            f' AND answer_insight.question_id IN ({names})'
        )
        bind = op.get_bind()
        bind.execute(
            sa.text(f'UPDATE safeguarding_flag SET insight_id = NULL WHERE insight_id IN ({doomed})'),
            params,
        )
        bind.execute(
            sa.text(f'DELETE FROM insight_correction WHERE insight_id IN ({doomed})'), params
        )
        bind.execute(sa.text(f'DELETE FROM answer_insight WHERE id IN ({doomed})'), params)


def downgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.drop_constraint('fk_safeguarding_flag_from_draft_id_draft', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_safeguarding_flag_from_draft_id'))
        batch_op.drop_column('from_draft_id')
